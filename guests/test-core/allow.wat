;; allow: the smallest correct Sentinel JSON guest. Every event gets {"decision":"allow"}.
;; Used by benchmarks and as the healthy neighbour in hostile tests, so it does no work at all.
(module
  (memory (export "memory") 1)
  ;; The result is static data: 20 bytes at offset 16. dealloc of it is a no-op.
  (data (i32.const 16) "{\"decision\":\"allow\"}")

  ;; The host holds at most one input buffer at a time (alloc, call, dealloc), so every
  ;; allocation reuses the region at 1024, growing memory to fit. A failed grow traps.
  (func (export "alloc") (param $size i32) (result i32)
    (local $missing i64)
    (local.set $missing
      (i64.sub
        (i64.add (i64.const 1024) (i64.extend_i32_u (local.get $size)))
        (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16))))
    (if (i64.gt_s (local.get $missing) (i64.const 0))
      (then
        (if (i32.eq
              (memory.grow (i32.wrap_i64 (i64.shr_u (i64.add (local.get $missing) (i64.const 65535)) (i64.const 16))))
              (i32.const -1))
          (then unreachable))))
    (i32.const 1024))

  (func (export "dealloc") (param $ptr i32) (param $size i32))

  ;; (16 << 32) | 20
  (func (export "on_request_headers") (param $ptr i32) (param $len i32) (result i64)
    (i64.const 0x0000001000000014))

  (func (export "on_response_headers") (param $ptr i32) (param $len i32) (result i64)
    (i64.const 0x0000001000000014)))
