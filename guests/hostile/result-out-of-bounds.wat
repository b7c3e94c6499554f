;; result-out-of-bounds: returns ptr 0xFFFFFF00 (far past the 64 KiB memory; as an i64 the packed
;; value is negative, so the host must decode it as unsigned). wasmgate must bounds-check before
;; reading and report bad-output.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func $handler (export "on_request_headers") (export "on_response_headers") (param $ptr i32) (param $len i32) (result i64)
    (i64.const 0xFFFFFF0000000014))) ;; (0xFFFFFF00 << 32) | 20
