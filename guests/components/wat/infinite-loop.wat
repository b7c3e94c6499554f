;; on-request never returns (needs the runtime's deadline instrumentation to stop it);
;; on-response: continue.
(module
  ;;@prelude
  (func (export "smg:gateway/middleware-on-request#on-request")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i64) (result i32)
    (loop $forever (br $forever))
    (call $action (i32.const 0)))
  (func (export "cabi_post_smg:gateway/middleware-on-request#on-request") (param i32) (call $reset))
  (func (export "smg:gateway/middleware-on-response#on-response")
    (param i32 i32 i32 i32 i32) (result i32)
    (call $action (i32.const 0)))
  (func (export "cabi_post_smg:gateway/middleware-on-response#on-response") (param i32) (call $reset))
)
