;; SMG example 5.5 (wasm-guest-storage-hook-passthrough). before(): store-response, create-conversation,
;; update-conversation, create-item, link-item -> do-continue([HOOK_ACTIVE="true"]); others do-continue([]).
;; Never rejects. after(): returns extra unchanged.
(module
  ;;@prelude
  ;;@storage-prelude
  (func (export "smg:storage/storage-hook-before#before")
    (param $op i32) (param $cp i32) (param $cl i32) (param $pp i32) (param $pl i32) (result i32)
    (local $cols i32)
    (if (i32.or
          (i32.or (i32.eq (local.get $op) (i32.const 11)) (i32.eq (local.get $op) (i32.const 0)))
          (i32.or (i32.eq (local.get $op) (i32.const 2))
            (i32.or (i32.eq (local.get $op) (i32.const 4)) (i32.eq (local.get $op) (i32.const 5)))))
      (then
        (local.set $cols (call $alloc (i32.const 16) (i32.const 4)))
        (call $pair_store (local.get $cols) (i32.const 0) (str "HOOK_ACTIVE") (str "true"))
        (return (call $before_result (i32.const 0) (local.get $cols) (i32.const 1)))))
    (call $before_result (i32.const 0) (i32.const 4) (i32.const 0)))
)
