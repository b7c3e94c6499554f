  ;; Shared by every WAT test component (spliced in by build.mjs at ";;@prelude").
  ;; A bump allocator as `cabi_realloc`: the host lowers each string and list with it; every
  ;; `cabi_post_*` export calls $reset, so one call's allocations are dropped after the host has
  ;; read the result. Data segments (string literals) live below $HEAP_BASE.
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 65536))

  (func $reset (global.set $heap (i32.const 65536)))

  (func $cabi_realloc (export "cabi_realloc")
    (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
    (local $p i32)
    (local.set $p
      (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $new_size)))
    (block $done
      (loop $grow
        (br_if $done (i32.le_u (global.get $heap) (i32.shl (memory.size) (i32.const 16))))
        (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
        (br $grow)))
    (if (local.get $old)
      (then (memory.copy (local.get $p) (local.get $old)
        (select (local.get $old_size) (local.get $new_size) (i32.lt_u (local.get $old_size) (local.get $new_size))))))
    (local.get $p))

  (func $alloc (param $size i32) (param $align i32) (result i32)
    (call $cabi_realloc (i32.const 0) (i32.const 0) (local.get $align) (local.get $size)))

  ;; Stores a {name, value} record (16 bytes: two ptr/len pairs) at base + idx * 16.
  (func $pair_store (param $base i32) (param $idx i32) (param $np i32) (param $nl i32) (param $vp i32) (param $vl i32)
    (local $at i32)
    (local.set $at (i32.add (local.get $base) (i32.shl (local.get $idx) (i32.const 4))))
    (i32.store offset=0 (local.get $at) (local.get $np))
    (i32.store offset=4 (local.get $at) (local.get $nl))
    (i32.store offset=8 (local.get $at) (local.get $vp))
    (i32.store offset=12 (local.get $at) (local.get $vl)))

  ;; Decimal text of an unsigned 64-bit number, freshly allocated: returns (ptr, len).
  (func $utoa (param $v i64) (result i32 i32)
    (local $buf i32) (local $end i32) (local $p i32) (local $len i32)
    (local.set $buf (call $alloc (i32.const 20) (i32.const 1)))
    (local.set $end (i32.add (local.get $buf) (i32.const 20)))
    (local.set $p (local.get $end))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $v) (i64.const 0))))
    (local.set $len (i32.sub (local.get $end) (local.get $p)))
    (memory.copy (local.get $buf) (local.get $p) (local.get $len))
    (local.get $buf) (local.get $len))

  ;; 1 when the two byte strings are equal.
  (func $memeq (param $a i32) (param $al i32) (param $b i32) (param $bl i32) (result i32)
    (local $i i32)
    (if (i32.ne (local.get $al) (local.get $bl)) (then (return (i32.const 0))))
    (block $diff
      (loop $next
        (if (i32.eq (local.get $i) (local.get $al)) (then (return (i32.const 1))))
        (br_if $diff (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $i))) (i32.load8_u (i32.add (local.get $b) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 0))

  ;; A 44-byte `action` (align 4) with discriminant `tag`; the payload is filled by the caller.
  (func $action (param $tag i32) (result i32)
    (local $p i32)
    (local.set $p (call $alloc (i32.const 44) (i32.const 4)))
    (memory.fill (local.get $p) (i32.const 0) (i32.const 44))
    (i32.store8 (local.get $p) (local.get $tag))
    (local.get $p))

  ;; action.modify: sets one of the three lists (offset 8 set, 16 add, 24 remove).
  (func $modify_list (param $action i32) (param $offset i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.add (local.get $action) (local.get $offset)) (local.get $ptr))
    (i32.store offset=4 (i32.add (local.get $action) (local.get $offset)) (local.get $len)))

  ;; action.modify: body-replace = some(ptr, len).
  (func $modify_body (param $action i32) (param $ptr i32) (param $len i32)
    (i32.store8 offset=32 (local.get $action) (i32.const 1))
    (i32.store offset=36 (local.get $action) (local.get $ptr))
    (i32.store offset=40 (local.get $action) (local.get $len)))

  ;; action.modify: status = some(code).
  (func $modify_status (param $action i32) (param $code i32)
    (i32.store8 offset=4 (local.get $action) (i32.const 1))
    (i32.store16 offset=6 (local.get $action) (local.get $code)))
