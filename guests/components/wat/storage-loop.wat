;; Test storage hook whose before() never returns (the runtime's deadline must stop it);
;; after() returns extra unchanged.
(module
  ;;@prelude
  ;;@storage-prelude
  (func (export "smg:storage/storage-hook-before#before")
    (param i32 i32 i32 i32 i32) (result i32)
    (loop $forever (br $forever))
    unreachable)
)
