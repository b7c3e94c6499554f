;; infinite-loop: the handler never returns. wasmgate must stop it at max_execution_time_ms
;; (timeout fault), replace the instance, and keep serving.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func $handler (export "on_request_headers") (export "on_response_headers") (param $ptr i32) (param $len i32) (result i64)
    (loop $forever (br $forever))
    (unreachable)))
