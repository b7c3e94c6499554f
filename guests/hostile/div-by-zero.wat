;; div-by-zero: the handler divides by zero (computed at run time, so nothing folds it away).
;; wasmgate must report a trap fault.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func $handler (export "on_request_headers") (export "on_response_headers") (param $ptr i32) (param $len i32) (result i64)
    (i64.extend_i32_u (i32.div_u (local.get $len) (i32.sub (local.get $len) (local.get $len))))))
