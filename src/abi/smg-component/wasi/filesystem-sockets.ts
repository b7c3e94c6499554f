// wasi:filesystem and wasi:sockets with nothing behind them: no preopened directories (so a guest
// can never hold a descriptor), and every socket or name lookup fails with `access-denied`, the
// error the upstream host's default WASI context gives.
import type { ComponentLog } from '../component/component-log.js';
import { wasiError } from './io.js';

// Resource types the glue needs to exist; a guest has no way to obtain one.
class Descriptor {}
class DirectoryEntryStream {}
class Network {}
class TcpSocket {}
class UdpSocket {}
class IncomingDatagramStream {}
class OutgoingDatagramStream {}
class ResolveAddressStream {}

export function filesystemSocketInterfaces(module: string, log: ComponentLog): Record<string, object> {
  const denied = (iface: string, detail: string) => {
    log('guest.denied', { module, interface: iface, detail });
    return wasiError('access-denied');
  };
  return {
    'wasi:filesystem/preopens': { getDirectories: (): Array<[Descriptor, string]> => [] },
    'wasi:filesystem/types': { Descriptor, DirectoryEntryStream, filesystemErrorCode: () => undefined },
    'wasi:sockets/network': { Network, networkErrorCode: () => undefined },
    'wasi:sockets/instance-network': { instanceNetwork: () => new Network() },
    'wasi:sockets/tcp': { TcpSocket },
    'wasi:sockets/udp': { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
    'wasi:sockets/tcp-create-socket': {
      createTcpSocket(family: string): never {
        throw denied('wasi:sockets/tcp-create-socket', `create-tcp-socket(${family})`);
      },
    },
    'wasi:sockets/udp-create-socket': {
      createUdpSocket(family: string): never {
        throw denied('wasi:sockets/udp-create-socket', `create-udp-socket(${family})`);
      },
    },
    'wasi:sockets/ip-name-lookup': {
      ResolveAddressStream,
      resolveAddresses(_network: Network, name: string): never {
        throw denied('wasi:sockets/ip-name-lookup', `resolve-addresses(${String(name).slice(0, 256)})`);
      },
    },
  };
}
