;; missing-handlers: alloc and dealloc only, no on_request_headers / on_response_headers.
;; wasmgate must refuse the module at load, naming both handlers.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param $ptr i32) (param $size i32)))
