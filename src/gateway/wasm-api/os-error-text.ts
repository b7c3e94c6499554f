// Renders a node fs error the way Rust's std::io::Error displays it in SMG's messages:
// `No such file or directory (os error 2)`.
import { constants } from 'node:os';

const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EIO: 'Input/output error',
  EMFILE: 'Too many open files',
  ENFILE: 'Too many open files in system',
  ENOMEM: 'Cannot allocate memory',
  EINVAL: 'Invalid argument',
  ENXIO: 'No such device or address',
  EBUSY: 'Device or resource busy',
};

export function rustIoErrorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  const code = e?.code;
  if (code !== undefined) {
    const errno = (constants.errno as Record<string, number | undefined>)[code] ?? (typeof e?.errno === 'number' ? Math.abs(e.errno) : undefined);
    const text = STRERROR[code] ?? e?.message ?? code;
    return errno === undefined ? text : `${text} (os error ${errno})`;
  }
  return err instanceof Error ? err.message : String(err);
}
