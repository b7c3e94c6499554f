  ;; Storage-hook helpers (spliced in after the common prelude at ";;@storage-prelude").
  ;; Value of the first context entry whose key equals (kp, kl): returns (found, ptr, len).
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

  ;; A 12-byte `before-result` (align 4): discriminant, then a (ptr, len) list or string.
  (func $before_result (param $tag i32) (param $ptr i32) (param $len i32) (result i32)
    (local $r i32)
    (local.set $r (call $alloc (i32.const 12) (i32.const 4)))
    (i32.store8 (local.get $r) (local.get $tag))
    (i32.store offset=4 (local.get $r) (local.get $ptr))
    (i32.store offset=8 (local.get $r) (local.get $len))
    (local.get $r))

  ;; after(): returns `extra` unchanged, as a (ptr, len) pair in memory.
  (func (export "smg:storage/storage-hook-after#after")
    (param $op i32) (param $cp i32) (param $cl i32) (param $pp i32) (param $pl i32)
    (param $rp i32) (param $rl i32) (param $ep i32) (param $el i32) (result i32)
    (local $r i32)
    (local.set $r (call $alloc (i32.const 8) (i32.const 4)))
    (i32.store offset=0 (local.get $r) (local.get $ep))
    (i32.store offset=4 (local.get $r) (local.get $el))
    (local.get $r))
  (func (export "cabi_post_smg:storage/storage-hook-after#after") (param i32) (call $reset))
  (func (export "cabi_post_smg:storage/storage-hook-before#before") (param i32) (call $reset))
