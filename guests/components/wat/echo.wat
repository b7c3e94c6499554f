;; Echoes what the host lowered, so tests can check the host's canonical ABI lowering.
;; on-request -> modify { headers-set [x-method, x-path, x-query, x-request-id, x-body-len,
;;   x-header-count, x-now], headers-add = the request headers as received, body-replace = the body }.
;; on-response -> modify { status = status, headers-set [x-status, x-body-len],
;;   headers-add = the response headers, body-replace = the body }.
;; The result points back into the host-written argument memory; the host reads it before post-return.
(module
  ;;@prelude
  (func (export "smg:gateway/middleware-on-request#on-request")
    (param $mp i32) (param $ml i32) (param $pp i32) (param $pl i32) (param $qp i32) (param $ql i32)
    (param $hp i32) (param $hl i32) (param $bp i32) (param $bl i32) (param $rp i32) (param $rl i32)
    (param $now i64) (result i32)
    (local $a i32) (local $set i32)
    (local.set $a (call $action (i32.const 2)))
    (local.set $set (call $alloc (i32.const 112) (i32.const 4)))
    (call $pair_store (local.get $set) (i32.const 0) (str "x-method") (local.get $mp) (local.get $ml))
    (call $pair_store (local.get $set) (i32.const 1) (str "x-path") (local.get $pp) (local.get $pl))
    (call $pair_store (local.get $set) (i32.const 2) (str "x-query") (local.get $qp) (local.get $ql))
    (call $pair_store (local.get $set) (i32.const 3) (str "x-request-id") (local.get $rp) (local.get $rl))
    (call $pair_store (local.get $set) (i32.const 4) (str "x-body-len") (call $utoa (i64.extend_i32_u (local.get $bl))))
    (call $pair_store (local.get $set) (i32.const 5) (str "x-header-count") (call $utoa (i64.extend_i32_u (local.get $hl))))
    (call $pair_store (local.get $set) (i32.const 6) (str "x-now") (call $utoa (local.get $now)))
    (call $modify_list (local.get $a) (i32.const 8) (local.get $set) (i32.const 7))
    (call $modify_list (local.get $a) (i32.const 16) (local.get $hp) (local.get $hl))
    (call $modify_body (local.get $a) (local.get $bp) (local.get $bl))
    (local.get $a))
  (func (export "cabi_post_smg:gateway/middleware-on-request#on-request") (param i32) (call $reset))
  (func (export "smg:gateway/middleware-on-response#on-response")
    (param $status i32) (param $hp i32) (param $hl i32) (param $bp i32) (param $bl i32) (result i32)
    (local $a i32) (local $set i32)
    (local.set $a (call $action (i32.const 2)))
    (call $modify_status (local.get $a) (local.get $status))
    (local.set $set (call $alloc (i32.const 32) (i32.const 4)))
    (call $pair_store (local.get $set) (i32.const 0) (str "x-status") (call $utoa (i64.extend_i32_u (local.get $status))))
    (call $pair_store (local.get $set) (i32.const 1) (str "x-body-len") (call $utoa (i64.extend_i32_u (local.get $bl))))
    (call $modify_list (local.get $a) (i32.const 8) (local.get $set) (i32.const 2))
    (call $modify_list (local.get $a) (i32.const 16) (local.get $hp) (local.get $hl))
    (call $modify_body (local.get $a) (local.get $bp) (local.get $bl))
    (local.get $a))
  (func (export "cabi_post_smg:gateway/middleware-on-response#on-response") (param i32) (call $reset))
)
