;; `reject(401)` on both sides.
(module
  ;;@prelude
  (func $reject (result i32)
    (local $a i32)
    (local.set $a (call $action (i32.const 1)))
    (i32.store16 offset=4 (local.get $a) (i32.const 401))
    (local.get $a))
  (func (export "smg:gateway/middleware-on-request#on-request")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i64) (result i32)
    (call $reject))
  (func (export "cabi_post_smg:gateway/middleware-on-request#on-request") (param i32) (call $reset))
  (func (export "smg:gateway/middleware-on-response#on-response")
    (param i32 i32 i32 i32 i32) (result i32)
    (call $reject))
  (func (export "cabi_post_smg:gateway/middleware-on-response#on-response") (param i32) (call $reset))
)
