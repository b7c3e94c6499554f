;; result-len-overflow: a valid pointer with length 0xFFFFFFFF. wasmgate must refuse it (over
;; max_body_size and outside memory) without reading, and report bad-output.
(module
  (memory (export "memory") 1)
  (data (i32.const 16) "{\"decision\":\"allow\"}")
  (func (export "alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func $handler (export "on_request_headers") (export "on_response_headers") (param $ptr i32) (param $len i32) (result i64)
    (i64.const 0x00000010FFFFFFFF))) ;; (16 << 32) | 0xFFFFFFFF
