;; State that lives as long as the instance: on-request adds `x-count: n` (1, 2, 3, ...).
;; on-response: continue.
(module
  ;;@prelude
  (global $count (mut i64) (i64.const 0))
  (func (export "smg:gateway/middleware-on-request#on-request")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i64) (result i32)
    (local $a i32) (local $add i32)
    (global.set $count (i64.add (global.get $count) (i64.const 1)))
    (local.set $a (call $action (i32.const 2)))
    (local.set $add (call $alloc (i32.const 16) (i32.const 4)))
    (call $pair_store (local.get $add) (i32.const 0) (str "x-count") (call $utoa (global.get $count)))
    (call $modify_list (local.get $a) (i32.const 16) (local.get $add) (i32.const 1))
    (local.get $a))
  (func (export "cabi_post_smg:gateway/middleware-on-request#on-request") (param i32) (call $reset))
  (func (export "smg:gateway/middleware-on-response#on-response")
    (param i32 i32 i32 i32 i32) (result i32)
    (call $action (i32.const 0)))
  (func (export "cabi_post_smg:gateway/middleware-on-response#on-response") (param i32) (call $reset))
)
