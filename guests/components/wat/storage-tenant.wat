;; SMG example 5.4 (wasm-guest-storage-hook). before(): tenant := context "tenant_id", user := "user_id".
;;   store-response: tenant ? do-continue([TENANT_ID] + [STORED_BY] if user)
;;                          : reject("tenant_id is required in request context for StoreResponse")
;;   create-conversation: do-continue([TENANT_ID] if tenant, [CREATED_BY] if user)
;;   create-item | link-item: do-continue([TENANT_ID] if tenant)
;;   anything else: do-continue([]).  after(): returns extra unchanged.
(module
  ;;@prelude
  ;;@storage-prelude
  (func (export "smg:storage/storage-hook-before#before")
    (param $op i32) (param $cp i32) (param $cl i32) (param $pp i32) (param $pl i32) (result i32)
    (local $tf i32) (local $tp i32) (local $tl i32) (local $uf i32) (local $up i32) (local $ul i32)
    (local $cols i32) (local $n i32)
    (call $ctx_get (local.get $cp) (local.get $cl) (str "tenant_id"))
    (local.set $tl) (local.set $tp) (local.set $tf)
    (call $ctx_get (local.get $cp) (local.get $cl) (str "user_id"))
    (local.set $ul) (local.set $up) (local.set $uf)
    (local.set $cols (call $alloc (i32.const 32) (i32.const 4)))
    ;; store-response (11)
    (if (i32.eq (local.get $op) (i32.const 11))
      (then
        (if (i32.eqz (local.get $tf))
          (then (return (call $before_result (i32.const 1) (str "tenant_id is required in request context for StoreResponse")))))
        (call $pair_store (local.get $cols) (local.get $n) (str "TENANT_ID") (local.get $tp) (local.get $tl))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (if (local.get $uf)
          (then
            (call $pair_store (local.get $cols) (local.get $n) (str "STORED_BY") (local.get $up) (local.get $ul))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))))))
    ;; create-conversation (0)
    (if (i32.eqz (local.get $op))
      (then
        (if (local.get $tf)
          (then
            (call $pair_store (local.get $cols) (local.get $n) (str "TENANT_ID") (local.get $tp) (local.get $tl))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (if (local.get $uf)
          (then
            (call $pair_store (local.get $cols) (local.get $n) (str "CREATED_BY") (local.get $up) (local.get $ul))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))))))
    ;; create-item (4), link-item (5)
    (if (i32.and (i32.or (i32.eq (local.get $op) (i32.const 4)) (i32.eq (local.get $op) (i32.const 5))) (local.get $tf))
      (then
        (call $pair_store (local.get $cols) (local.get $n) (str "TENANT_ID") (local.get $tp) (local.get $tl))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))))
    (call $before_result (i32.const 0) (local.get $cols) (local.get $n)))
)
