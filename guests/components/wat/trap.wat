;; on-request traps (`unreachable`); on-response recurses without end (stack overflow).
(module
  ;;@prelude
  (func $recurse (param $n i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))
  (func (export "smg:gateway/middleware-on-request#on-request")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i64) (result i32)
    unreachable)
  (func (export "cabi_post_smg:gateway/middleware-on-request#on-request") (param i32) (call $reset))
  (func (export "smg:gateway/middleware-on-response#on-response")
    (param i32 i32 i32 i32 i32) (result i32)
    (drop (call $recurse (i32.const 0)))
    (call $action (i32.const 0)))
  (func (export "cabi_post_smg:gateway/middleware-on-response#on-response") (param i32) (call $reset))
)
