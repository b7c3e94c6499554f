;; alloc-returns-garbage: alloc returns 0xFFFFFFF0, far outside memory. wasmgate must check the
;; buffer is in bounds before writing the input into it, and report bad-output.
(module
  (memory (export "memory") 1)
  (data (i32.const 16) "{\"decision\":\"allow\"}")
  (func (export "alloc") (param $size i32) (result i32) (i32.const 0xFFFFFFF0))
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func $handler (export "on_request_headers") (export "on_response_headers") (param $ptr i32) (param $len i32) (result i64)
    (i64.const 0x0000001000000014)))
