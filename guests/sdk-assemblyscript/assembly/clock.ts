// The wall clock, through `wasi:clocks/wall-clock@0.2.0` (which SMG's host and wasmgate both
// provide). Only a module that calls it imports the interface.
//
//   import { clock } from '@wasmgate/sdk-assemblyscript/assembly/clock';
//   const ms = clock.nowMs();
//
// `now: func() -> datetime` with `record datetime { seconds: u64, nanoseconds: u32 }` returns
// through a pointer: seconds at 0, nanoseconds at 8 (size 16, align 8).

// @ts-ignore: decorator
@external('wasi:clocks/wall-clock@0.2.0', 'now')
declare function importNow(retptr: usize): void;

const CLOCK_RETURN_AREA: usize = memory.data(16, 8);

export namespace clock {
  /** Milliseconds since the Unix epoch. */
  export function nowMs(): u64 {
    const ret = CLOCK_RETURN_AREA;
    importNow(ret);
    return load<u64>(ret) * 1000 + <u64>(load<u32>(ret, 8) / 1_000_000);
  }
}
