;; Probes the WASI sandbox from a hand-written component (world wasmgate:probe/wasi-probe): the
;; pieces a componentize-js guest cannot reach from JavaScript (environment, arguments, cwd,
;; preopens, sockets, exit) plus a stdout write.
;; on-request -> modify { headers-set [x-env-count, x-args-count, x-cwd ("none"|"some"), x-preopens,
;;   x-tcp ("ok"|"err:<error-code discriminant>"), x-dns (same), x-stdout ("ok"|"err")] }.
;; on-response: status 299 -> wasi:cli/exit(ok); status 298 -> writes 10 MiB to stdout in 4 KiB
;;   chunks, then continue; otherwise continue.
(module
  (import "wasi:cli/environment@0.2.3" "get-environment" (func $get_environment (param i32)))
  (import "wasi:cli/environment@0.2.3" "get-arguments" (func $get_arguments (param i32)))
  (import "wasi:cli/environment@0.2.3" "initial-cwd" (func $initial_cwd (param i32)))
  (import "wasi:cli/exit@0.2.3" "exit" (func $exit (param i32)))
  (import "wasi:cli/stdout@0.2.3" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:io/streams@0.2.3" "[method]output-stream.blocking-write-and-flush"
    (func $write_and_flush (param i32 i32 i32 i32)))
  (import "wasi:filesystem/preopens@0.2.3" "get-directories" (func $get_directories (param i32)))
  (import "wasi:sockets/instance-network@0.2.3" "instance-network" (func $instance_network (result i32)))
  (import "wasi:sockets/tcp-create-socket@0.2.3" "create-tcp-socket" (func $create_tcp_socket (param i32 i32)))
  (import "wasi:sockets/ip-name-lookup@0.2.3" "resolve-addresses" (func $resolve_addresses (param i32 i32 i32 i32)))
  ;;@prelude

  ;; "ok" or "err:<n>" for a result<handle, enum> at $ret.
  (func $result_text (param $ret i32) (result i32 i32)
    (local $p i32) (local $l i32) (local $out i32)
    (if (i32.eqz (i32.load8_u (local.get $ret))) (then (return (str "ok"))))
    (call $utoa (i64.extend_i32_u (i32.load8_u offset=4 (local.get $ret))))
    (local.set $l) (local.set $p)
    (local.set $out (call $alloc (i32.add (local.get $l) (i32.const 4)) (i32.const 1)))
    (memory.copy (local.get $out) (str "err:"))
    (memory.copy (i32.add (local.get $out) (i32.const 4)) (local.get $p) (local.get $l))
    (local.get $out) (i32.add (local.get $l) (i32.const 4)))

  (func (export "smg:gateway/middleware-on-request#on-request")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i64) (result i32)
    (local $a i32) (local $set i32) (local $ret i32) (local $net i32)
    (local.set $ret (call $alloc (i32.const 16) (i32.const 4)))
    (local.set $set (call $alloc (i32.const 112) (i32.const 4)))

    (call $get_environment (local.get $ret))
    (call $pair_store (local.get $set) (i32.const 0) (str "x-env-count") (call $utoa (i64.load32_u offset=4 (local.get $ret))))
    (call $get_arguments (local.get $ret))
    (call $pair_store (local.get $set) (i32.const 1) (str "x-args-count") (call $utoa (i64.load32_u offset=4 (local.get $ret))))
    (call $initial_cwd (local.get $ret))
    (if (i32.load8_u (local.get $ret))
      (then (call $pair_store (local.get $set) (i32.const 2) (str "x-cwd") (str "some")))
      (else (call $pair_store (local.get $set) (i32.const 2) (str "x-cwd") (str "none"))))
    (call $get_directories (local.get $ret))
    (call $pair_store (local.get $set) (i32.const 3) (str "x-preopens") (call $utoa (i64.load32_u offset=4 (local.get $ret))))

    (local.set $net (call $instance_network))
    (call $create_tcp_socket (i32.const 0) (local.get $ret))
    (call $pair_store (local.get $set) (i32.const 4) (str "x-tcp") (call $result_text (local.get $ret)))
    (call $resolve_addresses (local.get $net) (str "example.com") (local.get $ret))
    (call $pair_store (local.get $set) (i32.const 5) (str "x-dns") (call $result_text (local.get $ret)))

    (call $write_and_flush (call $get_stdout) (str "hello from the wasi probe\n") (local.get $ret))
    (if (i32.load8_u (local.get $ret))
      (then (call $pair_store (local.get $set) (i32.const 6) (str "x-stdout") (str "err")))
      (else (call $pair_store (local.get $set) (i32.const 6) (str "x-stdout") (str "ok"))))

    (local.set $a (call $action (i32.const 2)))
    (call $modify_list (local.get $a) (i32.const 8) (local.get $set) (i32.const 7))
    (local.get $a))
  (func (export "cabi_post_smg:gateway/middleware-on-request#on-request") (param i32) (call $reset))

  (func (export "smg:gateway/middleware-on-response#on-response")
    (param $status i32) (param i32 i32 i32 i32) (result i32)
    (local $out i32) (local $buf i32) (local $ret i32) (local $i i32)
    (if (i32.eq (local.get $status) (i32.const 299)) (then (call $exit (i32.const 0))))
    (if (i32.eq (local.get $status) (i32.const 298))
      (then
        (local.set $out (call $get_stdout))
        (local.set $ret (call $alloc (i32.const 16) (i32.const 4)))
        (local.set $buf (call $alloc (i32.const 4096) (i32.const 1)))
        (memory.fill (local.get $buf) (i32.const 120) (i32.const 4096))
        (i32.store8 offset=4095 (local.get $buf) (i32.const 10))
        (loop $more
          (call $write_and_flush (local.get $out) (local.get $buf) (i32.const 4096) (local.get $ret))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $more (i32.lt_u (local.get $i) (i32.const 2560))))))
    (call $action (i32.const 0)))
  (func (export "cabi_post_smg:gateway/middleware-on-response#on-response") (param i32) (call $reset))
)
