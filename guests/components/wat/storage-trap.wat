;; Test storage hook whose before() and after() both trap (`unreachable`), for every operation:
;; a broken tenancy hook. wasmgate fails the operation (fail-closed) unless
;; --storage-hook-fail-open, where it is logged and skipped as in SMG.
(module
  ;;@prelude
  (func (export "smg:storage/storage-hook-before#before")
    (param i32 i32 i32 i32 i32) (result i32)
    unreachable)
  (func (export "cabi_post_smg:storage/storage-hook-before#before") (param i32) (call $reset))
  (func (export "smg:storage/storage-hook-after#after")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    unreachable)
  (func (export "cabi_post_smg:storage/storage-hook-after#after") (param i32) (call $reset))
)
