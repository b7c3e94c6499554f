;; on-request grows memory one page at a time and touches each page until growth fails, then traps
;; (needs the runtime's memory cap: without it this reaches 4 GiB). on-response: continue.
(module
  ;;@prelude
  (func (export "smg:gateway/middleware-on-request#on-request")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i64) (result i32)
    (local $old i32)
    (loop $more
      (local.set $old (memory.grow (i32.const 1)))
      (if (i32.eq (local.get $old) (i32.const -1)) (then unreachable))
      (i32.store (i32.shl (local.get $old) (i32.const 16)) (i32.const 1))
      (br $more))
    (call $action (i32.const 0)))
  (func (export "cabi_post_smg:gateway/middleware-on-request#on-request") (param i32) (call $reset))
  (func (export "smg:gateway/middleware-on-response#on-response")
    (param i32 i32 i32 i32 i32) (result i32)
    (call $action (i32.const 0)))
  (func (export "cabi_post_smg:gateway/middleware-on-response#on-response") (param i32) (call $reset))
)
