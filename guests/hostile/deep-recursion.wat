;; deep-recursion: unbounded recursion. wasmgate must end it as a stack fault (at max_stack_size
;; or the engine's own limit), not crash, and the pool must recover.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param $ptr i32) (param $size i32))
  (func $recurse (param $depth i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get $depth) (i32.const 1))) (i32.const 1)))
  (func $handler (export "on_request_headers") (export "on_response_headers") (param $ptr i32) (param $len i32) (result i64)
    (i64.extend_i32_u (call $recurse (i32.const 0)))))
