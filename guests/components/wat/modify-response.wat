;; on-response: modify { status 503, headers-set [x-modified: yes], body-replace "service unavailable" };
;; on-request: continue.
(module
  ;;@prelude
  (func (export "smg:gateway/middleware-on-request#on-request")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i64) (result i32)
    (call $action (i32.const 0)))
  (func (export "cabi_post_smg:gateway/middleware-on-request#on-request") (param i32) (call $reset))
  (func (export "smg:gateway/middleware-on-response#on-response")
    (param i32 i32 i32 i32 i32) (result i32)
    (local $a i32) (local $set i32)
    (local.set $a (call $action (i32.const 2)))
    (call $modify_status (local.get $a) (i32.const 503))
    (local.set $set (call $alloc (i32.const 16) (i32.const 4)))
    (call $pair_store (local.get $set) (i32.const 0) (str "x-modified") (str "yes"))
    (call $modify_list (local.get $a) (i32.const 8) (local.get $set) (i32.const 1))
    (call $modify_body (local.get $a) (str "service unavailable"))
    (local.get $a))
  (func (export "cabi_post_smg:gateway/middleware-on-response#on-response") (param i32) (call $reset))
)
