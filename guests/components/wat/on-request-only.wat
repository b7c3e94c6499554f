;; Exports only smg:gateway/middleware-on-request (world smg-on-request-only): reject(403).
(module
  ;;@prelude
  (func (export "smg:gateway/middleware-on-request#on-request")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i64) (result i32)
    (local $a i32)
    (local.set $a (call $action (i32.const 1)))
    (i32.store16 offset=4 (local.get $a) (i32.const 403))
    (local.get $a))
  (func (export "cabi_post_smg:gateway/middleware-on-request#on-request") (param i32) (call $reset))
)
