;; Test storage hook that echoes what the host hands it, so tests can check the host's side of the
;; smg:storage contract (payload JSON, context entries, result JSON, extra columns).
;;   before(op, context, payload): reject(<value>) when the context has an entry with key "reject";
;;     else do-continue([OP=<operation index>, PAYLOAD=<payload>] + every context entry as a
;;     column named by its key).
;;   after(op, context, payload, result-json, extra): extra + [AFTER_OP=<operation index>,
;;     RESULT=<result-json>].
;; Does not splice in the storage prelude (that one exports an after() returning extra unchanged).
(module
  ;;@prelude
  (func $ctx_get (param $cp i32) (param $cl i32) (param $kp i32) (param $kl i32) (result i32 i32 i32)
    (local $i i32) (local $e i32)
    (block $none
      (loop $next
        (br_if $none (i32.ge_u (local.get $i) (local.get $cl)))
        (local.set $e (i32.add (local.get $cp) (i32.shl (local.get $i) (i32.const 4))))
        (if (call $memeq (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)) (local.get $kp) (local.get $kl))
          (then (return (i32.const 1) (i32.load offset=8 (local.get $e)) (i32.load offset=12 (local.get $e)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 0) (i32.const 0) (i32.const 0))

  (func $before_result (param $tag i32) (param $ptr i32) (param $len i32) (result i32)
    (local $r i32)
    (local.set $r (call $alloc (i32.const 12) (i32.const 4)))
    (i32.store8 (local.get $r) (local.get $tag))
    (i32.store offset=4 (local.get $r) (local.get $ptr))
    (i32.store offset=8 (local.get $r) (local.get $len))
    (local.get $r))

  (func (export "smg:storage/storage-hook-before#before")
    (param $op i32) (param $cp i32) (param $cl i32) (param $pp i32) (param $pl i32) (result i32)
    (local $found i32) (local $vp i32) (local $vl i32) (local $cols i32) (local $np i32) (local $nl i32)
    (call $ctx_get (local.get $cp) (local.get $cl) (str "reject"))
    (local.set $vl) (local.set $vp) (local.set $found)
    (if (local.get $found)
      (then (return (call $before_result (i32.const 1) (local.get $vp) (local.get $vl)))))
    (local.set $cols (call $alloc (i32.shl (i32.add (local.get $cl) (i32.const 2)) (i32.const 4)) (i32.const 4)))
    (call $utoa (i64.extend_i32_u (local.get $op)))
    (local.set $nl) (local.set $np)
    (call $pair_store (local.get $cols) (i32.const 0) (str "OP") (local.get $np) (local.get $nl))
    (call $pair_store (local.get $cols) (i32.const 1) (str "PAYLOAD") (local.get $pp) (local.get $pl))
    ;; context-entry and extra-column share one layout: {string, string}
    (memory.copy (i32.add (local.get $cols) (i32.const 32)) (local.get $cp) (i32.shl (local.get $cl) (i32.const 4)))
    (call $before_result (i32.const 0) (local.get $cols) (i32.add (local.get $cl) (i32.const 2))))
  (func (export "cabi_post_smg:storage/storage-hook-before#before") (param i32) (call $reset))

  (func (export "smg:storage/storage-hook-after#after")
    (param $op i32) (param $cp i32) (param $cl i32) (param $pp i32) (param $pl i32)
    (param $rp i32) (param $rl i32) (param $ep i32) (param $el i32) (result i32)
    (local $cols i32) (local $np i32) (local $nl i32) (local $r i32)
    (local.set $cols (call $alloc (i32.shl (i32.add (local.get $el) (i32.const 2)) (i32.const 4)) (i32.const 4)))
    (memory.copy (local.get $cols) (local.get $ep) (i32.shl (local.get $el) (i32.const 4)))
    (call $utoa (i64.extend_i32_u (local.get $op)))
    (local.set $nl) (local.set $np)
    (call $pair_store (local.get $cols) (local.get $el) (str "AFTER_OP") (local.get $np) (local.get $nl))
    (call $pair_store (local.get $cols) (i32.add (local.get $el) (i32.const 1)) (str "RESULT") (local.get $rp) (local.get $rl))
    (local.set $r (call $alloc (i32.const 8) (i32.const 4)))
    (i32.store offset=0 (local.get $r) (local.get $cols))
    (i32.store offset=4 (local.get $r) (i32.add (local.get $el) (i32.const 2)))
    (local.get $r))
  (func (export "cabi_post_smg:storage/storage-hook-after#after") (param i32) (call $reset))
)
