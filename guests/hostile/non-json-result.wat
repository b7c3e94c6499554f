;; non-json-result: returns valid UTF-8 that is not JSON. wasmgate must report bad-output.
(module
  (memory (export "memory") 1)
  (data (i32.const 16) "this is not json") ;; 16 bytes
  (func (export "alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func $handler (export "on_request_headers") (export "on_response_headers") (param $ptr i32) (param $len i32) (result i64)
    (i64.const 0x0000001000000010))) ;; (16 << 32) | 16
