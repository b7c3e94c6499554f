;; Returns malformed results, chosen by the request path, so tests can check the host's validation
;; of everything it reads from guest memory. Any other path: continue. on-response: continue.
;;   /bad-discriminant  action case 3            /bad-option   modify-action.status is-some = 2
;;   /bad-pointer       headers-set ptr past the end of memory
;;   /bad-utf8          a header name of bytes FF FE
;;   /big-body          body-replace of 2 MiB (points at address 0; more than max_body_size)
;;   /oob-body          body-replace of 200000 bytes at 0 (past the end of the 2-page memory)
;;   /misaligned        result pointer not 4-byte aligned
;;   /huge-list         headers-set of 1,000,000 entries
;;   /alias             headers-set of 5000 entries all naming one 1000-byte string (5 MB of text)
(module
  ;;@prelude
  (func $path_is (param $pp i32) (param $pl i32) (param $lp i32) (param $ll i32) (result i32)
    (call $memeq (local.get $pp) (local.get $pl) (local.get $lp) (local.get $ll)))

  (func (export "smg:gateway/middleware-on-request#on-request")
    (param $mp i32) (param $ml i32) (param $pp i32) (param $pl i32)
    (param i32 i32 i32 i32 i32 i32 i32 i32 i64) (result i32)
    (local $a i32) (local $list i32) (local $s i32) (local $i i32)
    (local.set $a (call $action (i32.const 2)))
    (if (call $path_is (local.get $pp) (local.get $pl) (str "/bad-discriminant"))
      (then (i32.store8 (local.get $a) (i32.const 3)) (return (local.get $a))))
    (if (call $path_is (local.get $pp) (local.get $pl) (str "/bad-option"))
      (then (i32.store8 offset=4 (local.get $a) (i32.const 2)) (return (local.get $a))))
    (if (call $path_is (local.get $pp) (local.get $pl) (str "/bad-pointer"))
      (then (call $modify_list (local.get $a) (i32.const 8) (i32.const 0xfffffff0) (i32.const 1)) (return (local.get $a))))
    (if (call $path_is (local.get $pp) (local.get $pl) (str "/bad-utf8"))
      (then
        (local.set $s (call $alloc (i32.const 2) (i32.const 1)))
        (i32.store16 (local.get $s) (i32.const 0xfeff))
        (local.set $list (call $alloc (i32.const 16) (i32.const 4)))
        (call $pair_store (local.get $list) (i32.const 0) (local.get $s) (i32.const 2) (str "x"))
        (call $modify_list (local.get $a) (i32.const 8) (local.get $list) (i32.const 1))
        (return (local.get $a))))
    (if (call $path_is (local.get $pp) (local.get $pl) (str "/big-body"))
      (then (call $modify_body (local.get $a) (i32.const 0) (i32.const 2097152)) (return (local.get $a))))
    (if (call $path_is (local.get $pp) (local.get $pl) (str "/oob-body"))
      (then (call $modify_body (local.get $a) (i32.const 0) (i32.const 200000)) (return (local.get $a))))
    (if (call $path_is (local.get $pp) (local.get $pl) (str "/misaligned"))
      (then (return (i32.add (local.get $a) (i32.const 1)))))
    (if (call $path_is (local.get $pp) (local.get $pl) (str "/huge-list"))
      (then (call $modify_list (local.get $a) (i32.const 8) (i32.const 0) (i32.const 1000000)) (return (local.get $a))))
    (if (call $path_is (local.get $pp) (local.get $pl) (str "/alias"))
      (then
        (local.set $s (call $alloc (i32.const 1000) (i32.const 1)))
        (memory.fill (local.get $s) (i32.const 97) (i32.const 1000))
        (local.set $list (call $alloc (i32.const 80000) (i32.const 4)))
        (loop $fill
          (call $pair_store (local.get $list) (local.get $i) (local.get $s) (i32.const 1000) (local.get $s) (i32.const 1000))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $fill (i32.lt_u (local.get $i) (i32.const 5000))))
        (call $modify_list (local.get $a) (i32.const 8) (local.get $list) (i32.const 5000))
        (return (local.get $a))))
    (i32.store8 (local.get $a) (i32.const 0))
    (local.get $a))
  (func (export "cabi_post_smg:gateway/middleware-on-request#on-request") (param i32) (call $reset))
  (func (export "smg:gateway/middleware-on-response#on-response")
    (param i32 i32 i32 i32 i32) (result i32)
    (call $action (i32.const 0)))
  (func (export "cabi_post_smg:gateway/middleware-on-response#on-response") (param i32) (call $reset))
)
