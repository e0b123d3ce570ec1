;; The byte loops of the JSON scans (json-spans.ts, held-scan.ts) over a body copied into this
;; module's memory, a block at a time and without a branch per byte: SIMD compares give each
;; block's quotes, backslashes and brackets as bitmasks; bit arithmetic finds the escaped
;; bytes (simdjson's method: a run of backslashes escapes the byte after it when the run is
;; odd) and the bytes inside strings (a prefix XOR of the unescaped quotes). json-scan.ts
;; holds the TypeScript loops these must agree with. Helpers are written out in place: V8
;; does not inline WebAssembly calls. A block is 64 bytes: four sixteen-byte compares per
;; kind of byte make one 64-bit mask, so the bit arithmetic runs once for the four (on the
;; bench's agent conversations 0.08 ns a byte for container_end, against 0.21 with 16-byte
;; blocks; checked_string_end, which also checks each escape, 0.21 against 0.29).
;;
;; Memory: the body starts at offset 0 and is followed by at least 64 zero bytes, so the
;; loads near its end read zeros. `n` is the offset just past the body.
(module
  (memory (export "memory") 1)

  ;; The offset of the quote that closes a string whose contents start at `i`, or -1; a
  ;; backslash escapes the byte after it, whatever that is (json-spans' stringEnd).
  (func (export "string_end") (param $i i32) (param $n i32) (result i32)
    (local $a v128)
    (local $b v128)
    (local $c v128)
    (local $d v128)
    (local $slashes i64)
    (local $escaped i64)
    (local $code i64)
    (local $carry i64)
    (local $quotes i64)
    (loop $string
      (if (i32.ge_u (local.get $i) (local.get $n)) (then (return (i32.const -1))))
      (local.set $a (v128.load (local.get $i)))
      (local.set $b (v128.load offset=16 (local.get $i)))
      (local.set $c (v128.load offset=32 (local.get $i)))
      (local.set $d (v128.load offset=48 (local.get $i)))
      (local.set $slashes
        (i64.or
          (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $a) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c)))
            (i32.shl (i8x16.bitmask (i8x16.eq (local.get $b) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c))) (i32.const 16))))
          (i64.shl
            (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $c) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c)))
              (i32.shl (i8x16.bitmask (i8x16.eq (local.get $d) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c))) (i32.const 16))))
            (i64.const 32))))
      ;; The bytes a backslash escapes. Shifting marks the byte after every backslash, which
      ;; is right for runs that start on an even bit; subtracting the backslashes from the
      ;; shift with the odd bits set, then clearing those bits, rights the runs that start on
      ;; an odd bit. A backslash escaped from the block before escapes nothing itself.
      (local.set $code
        (i64.xor
          (i64.sub
            (i64.or (i64.shl (i64.and (local.get $slashes) (i64.xor (local.get $carry) (i64.const -1))) (i64.const 1)) (i64.const 0xaaaaaaaaaaaaaaaa))
            (i64.and (local.get $slashes) (i64.xor (local.get $carry) (i64.const -1))))
          (i64.const 0xaaaaaaaaaaaaaaaa)))
      (local.set $escaped (i64.xor (local.get $code) (i64.or (local.get $slashes) (local.get $carry))))
      (local.set $carry (i64.shr_u (i64.and (local.get $code) (local.get $slashes)) (i64.const 63)))
      (local.set $quotes
        (i64.and
          (i64.or
            (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $a) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22)))
              (i32.shl (i8x16.bitmask (i8x16.eq (local.get $b) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22))) (i32.const 16))))
            (i64.shl
              (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $c) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22)))
                (i32.shl (i8x16.bitmask (i8x16.eq (local.get $d) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22))) (i32.const 16))))
              (i64.const 32)))
          (i64.xor (local.get $escaped) (i64.const -1))))
      (if (i64.eqz (local.get $quotes))
        (then
          (local.set $i (i32.add (local.get $i) (i32.const 64)))
          (br $string))))
    (i32.add (local.get $i) (i32.wrap_i64 (i64.ctz (local.get $quotes)))))

  ;; Like string_end, but the contents must be valid JSON string contents: no byte below 0x20
  ;; and only JSON's escapes (held-scan's checkedStringEnd); -1 when they are not. An escaped
  ;; byte is checked by its two nibbles: a table lookup (swizzle) per nibble gives a bit per
  ;; escape letter that can have it, and only the letters " \ / b f n r t have both (`u`,
  ;; whose four hex digits are checked one by one, is found by its own compare).
  (func (export "checked_string_end") (param $i i32) (param $n i32) (result i32)
    (local $a v128)
    (local $b v128)
    (local $c v128)
    (local $d v128)
    (local $slashes i64)
    (local $escaped i64)
    (local $code i64)
    (local $carry i64)
    (local $quotes i64)
    (local $before i64)
    (local $unicode i64)
    (local $at i32)
    (loop $block
      (local.set $a (v128.load (local.get $i)))
      (local.set $b (v128.load offset=16 (local.get $i)))
      (local.set $c (v128.load offset=32 (local.get $i)))
      (local.set $d (v128.load offset=48 (local.get $i)))
      (local.set $slashes
        (i64.or
          (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $a) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c)))
            (i32.shl (i8x16.bitmask (i8x16.eq (local.get $b) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c))) (i32.const 16))))
          (i64.shl
            (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $c) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c)))
              (i32.shl (i8x16.bitmask (i8x16.eq (local.get $d) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c))) (i32.const 16))))
            (i64.const 32))))
      ;; The bytes a backslash escapes, as in string_end.
      (local.set $code
        (i64.xor
          (i64.sub
            (i64.or (i64.shl (i64.and (local.get $slashes) (i64.xor (local.get $carry) (i64.const -1))) (i64.const 1)) (i64.const 0xaaaaaaaaaaaaaaaa))
            (i64.and (local.get $slashes) (i64.xor (local.get $carry) (i64.const -1))))
          (i64.const 0xaaaaaaaaaaaaaaaa)))
      (local.set $escaped (i64.xor (local.get $code) (i64.or (local.get $slashes) (local.get $carry))))
      (local.set $carry (i64.shr_u (i64.and (local.get $code) (local.get $slashes)) (i64.const 63)))
      (local.set $quotes
        (i64.and
          (i64.or
            (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $a) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22)))
              (i32.shl (i8x16.bitmask (i8x16.eq (local.get $b) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22))) (i32.const 16))))
            (i64.shl
              (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $c) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22)))
                (i32.shl (i8x16.bitmask (i8x16.eq (local.get $d) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22))) (i32.const 16))))
              (i64.const 32)))
          (i64.xor (local.get $escaped) (i64.const -1))))
      ;; The bits before the closing quote, or all of them when the string goes on.
      (local.set $before
        (select
          (i64.sub (i64.and (local.get $quotes) (i64.sub (i64.const 0) (local.get $quotes))) (i64.const 1))
          (i64.const -1)
          (i64.ne (local.get $quotes) (i64.const 0))))
      ;; The zeros past the body are control bytes too, so an unterminated string ends there.
      (if (i64.ne
            (i64.and (local.get $before)
              (i64.or
                (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.lt_u (local.get $a) (v128.const i8x16 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20)))
                  (i32.shl (i8x16.bitmask (i8x16.lt_u (local.get $b) (v128.const i8x16 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20))) (i32.const 16))))
                (i64.shl
                  (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.lt_u (local.get $c) (v128.const i8x16 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20)))
                    (i32.shl (i8x16.bitmask (i8x16.lt_u (local.get $d) (v128.const i8x16 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20))) (i32.const 16))))
                  (i64.const 32))))
            (i64.const 0))
        (then (return (i32.const -1))))
      (local.set $escaped (i64.and (local.get $escaped) (local.get $before)))
      (if (i64.ne (local.get $escaped) (i64.const 0))
        (then
          (local.set $unicode
            (i64.or
              (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $a) (v128.const i8x16 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75)))
                (i32.shl (i8x16.bitmask (i8x16.eq (local.get $b) (v128.const i8x16 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75))) (i32.const 16))))
              (i64.shl
                (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $c) (v128.const i8x16 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75)))
                  (i32.shl (i8x16.bitmask (i8x16.eq (local.get $d) (v128.const i8x16 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75 0x75))) (i32.const 16))))
                (i64.const 32))))
          (if (i64.ne
                (i64.and (local.get $escaped)
                  (i64.xor
                    (i64.or (local.get $unicode)
                      (i64.or
                        (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.ne (v128.and (i8x16.swizzle (v128.const i8x16 0 0 13 0 8 0 4 0 0 0 0 0 2 0 4 1) (v128.and (local.get $a) (v128.const i8x16 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf))) (i8x16.swizzle (v128.const i8x16 0 0 1 0 0 2 4 8 0 0 0 0 0 0 0 0) (i8x16.shr_u (local.get $a) (i32.const 4)))) (v128.const i64x2 0 0)))
                          (i32.shl (i8x16.bitmask (i8x16.ne (v128.and (i8x16.swizzle (v128.const i8x16 0 0 13 0 8 0 4 0 0 0 0 0 2 0 4 1) (v128.and (local.get $b) (v128.const i8x16 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf))) (i8x16.swizzle (v128.const i8x16 0 0 1 0 0 2 4 8 0 0 0 0 0 0 0 0) (i8x16.shr_u (local.get $b) (i32.const 4)))) (v128.const i64x2 0 0))) (i32.const 16))))
                        (i64.shl
                          (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.ne (v128.and (i8x16.swizzle (v128.const i8x16 0 0 13 0 8 0 4 0 0 0 0 0 2 0 4 1) (v128.and (local.get $c) (v128.const i8x16 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf))) (i8x16.swizzle (v128.const i8x16 0 0 1 0 0 2 4 8 0 0 0 0 0 0 0 0) (i8x16.shr_u (local.get $c) (i32.const 4)))) (v128.const i64x2 0 0)))
                            (i32.shl (i8x16.bitmask (i8x16.ne (v128.and (i8x16.swizzle (v128.const i8x16 0 0 13 0 8 0 4 0 0 0 0 0 2 0 4 1) (v128.and (local.get $d) (v128.const i8x16 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf 0xf))) (i8x16.swizzle (v128.const i8x16 0 0 1 0 0 2 4 8 0 0 0 0 0 0 0 0) (i8x16.shr_u (local.get $d) (i32.const 4)))) (v128.const i64x2 0 0))) (i32.const 16))))
                          (i64.const 32))))
                    (i64.const -1)))
                (i64.const 0))
            (then (return (i32.const -1))))
          ;; Each `\u` needs four hex digits, which may lie in the next block.
          (local.set $unicode (i64.and (local.get $unicode) (local.get $escaped)))
          (block $digits
            (loop $each
              (br_if $digits (i64.eqz (local.get $unicode)))
              (local.set $at (i32.add (local.get $i) (i32.wrap_i64 (i64.ctz (local.get $unicode)))))
              (if (i32.eqz
                    (i32.and
                      (i32.and
                        (i32.or
                        (i32.lt_u (i32.sub (i32.load8_u offset=1 (local.get $at)) (i32.const 0x30)) (i32.const 10))
                        (i32.lt_u (i32.sub (i32.or (i32.load8_u offset=1 (local.get $at)) (i32.const 0x20)) (i32.const 0x61)) (i32.const 6)))
                        (i32.or
                        (i32.lt_u (i32.sub (i32.load8_u offset=2 (local.get $at)) (i32.const 0x30)) (i32.const 10))
                        (i32.lt_u (i32.sub (i32.or (i32.load8_u offset=2 (local.get $at)) (i32.const 0x20)) (i32.const 0x61)) (i32.const 6))))
                      (i32.and
                        (i32.or
                        (i32.lt_u (i32.sub (i32.load8_u offset=3 (local.get $at)) (i32.const 0x30)) (i32.const 10))
                        (i32.lt_u (i32.sub (i32.or (i32.load8_u offset=3 (local.get $at)) (i32.const 0x20)) (i32.const 0x61)) (i32.const 6)))
                        (i32.or
                        (i32.lt_u (i32.sub (i32.load8_u offset=4 (local.get $at)) (i32.const 0x30)) (i32.const 10))
                        (i32.lt_u (i32.sub (i32.or (i32.load8_u offset=4 (local.get $at)) (i32.const 0x20)) (i32.const 0x61)) (i32.const 6))))))
                (then (return (i32.const -1))))
              (local.set $unicode (i64.and (local.get $unicode) (i64.sub (local.get $unicode) (i64.const 1))))
              (br $each)))))
      (if (i64.ne (local.get $quotes) (i64.const 0))
        (then (return (i32.add (local.get $i) (i32.wrap_i64 (i64.ctz (local.get $quotes)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 64)))
      (br $block))
    (i32.const -1))

  ;; The offset just past the object or array whose bracket is at `i`, or -1 if it does not
  ;; close: brackets are counted outside strings, and strings skipped (json-spans'
  ;; containerEnd). -2 when a backslash stands outside a string, where that loop and this one
  ;; part ways: the text is not JSON, and the caller asks the loop.
  (func (export "container_end") (param $i i32) (param $n i32) (result i32)
    (local $a v128)
    (local $b v128)
    (local $c v128)
    (local $d v128)
    (local $slashes i64)
    (local $escaped i64)
    (local $code i64)
    (local $carry i64)
    (local $quotes i64)
    (local $inside i64)
    (local $in_string i64)
    (local $opens i64)
    (local $closes i64)
    (local $both i64)
    (local $k i32)
    (local $depth i32)
    (loop $block
      (if (i32.ge_u (local.get $i) (local.get $n)) (then (return (i32.const -1))))
      (local.set $a (v128.load (local.get $i)))
      (local.set $b (v128.load offset=16 (local.get $i)))
      (local.set $c (v128.load offset=32 (local.get $i)))
      (local.set $d (v128.load offset=48 (local.get $i)))
      (local.set $slashes
        (i64.or
          (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $a) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c)))
            (i32.shl (i8x16.bitmask (i8x16.eq (local.get $b) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c))) (i32.const 16))))
          (i64.shl
            (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $c) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c)))
              (i32.shl (i8x16.bitmask (i8x16.eq (local.get $d) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c))) (i32.const 16))))
            (i64.const 32))))
      ;; The bytes a backslash escapes, as in string_end.
      (local.set $code
        (i64.xor
          (i64.sub
            (i64.or (i64.shl (i64.and (local.get $slashes) (i64.xor (local.get $carry) (i64.const -1))) (i64.const 1)) (i64.const 0xaaaaaaaaaaaaaaaa))
            (i64.and (local.get $slashes) (i64.xor (local.get $carry) (i64.const -1))))
          (i64.const 0xaaaaaaaaaaaaaaaa)))
      (local.set $escaped (i64.xor (local.get $code) (i64.or (local.get $slashes) (local.get $carry))))
      (local.set $carry (i64.shr_u (i64.and (local.get $code) (local.get $slashes)) (i64.const 63)))
      ;; The bytes inside strings, opening quote included and closing quote not: bit i is set
      ;; when an odd number of unescaped quotes stand at or below it (or an even number, when
      ;; a string runs on from the block before).
      (local.set $quotes
        (i64.and
          (i64.or
            (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $a) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22)))
              (i32.shl (i8x16.bitmask (i8x16.eq (local.get $b) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22))) (i32.const 16))))
            (i64.shl
              (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $c) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22)))
                (i32.shl (i8x16.bitmask (i8x16.eq (local.get $d) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22))) (i32.const 16))))
              (i64.const 32)))
          (i64.xor (local.get $escaped) (i64.const -1))))
      (local.set $inside (i64.xor (local.get $quotes) (i64.shl (local.get $quotes) (i64.const 1))))
      (local.set $inside (i64.xor (local.get $inside) (i64.shl (local.get $inside) (i64.const 2))))
      (local.set $inside (i64.xor (local.get $inside) (i64.shl (local.get $inside) (i64.const 4))))
      (local.set $inside (i64.xor (local.get $inside) (i64.shl (local.get $inside) (i64.const 8))))
      (local.set $inside (i64.xor (local.get $inside) (i64.shl (local.get $inside) (i64.const 16))))
      (local.set $inside (i64.xor (local.get $inside) (i64.shl (local.get $inside) (i64.const 32))))
      (local.set $inside (i64.xor (local.get $inside) (i64.sub (i64.const 0) (local.get $in_string))))
      (local.set $in_string (i64.shr_u (local.get $inside) (i64.const 63)))
      (if (i64.ne (i64.and (local.get $slashes) (i64.xor (local.get $inside) (i64.const -1))) (i64.const 0))
        (then (return (i32.const -2))))
      ;; `[` and `]` with the 0x20 bit set are `{` and `}`: two compares find all four.
      (local.set $a (v128.or (local.get $a) (v128.const i8x16 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20)))
      (local.set $b (v128.or (local.get $b) (v128.const i8x16 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20)))
      (local.set $c (v128.or (local.get $c) (v128.const i8x16 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20)))
      (local.set $d (v128.or (local.get $d) (v128.const i8x16 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20)))
      (local.set $opens
        (i64.and
          (i64.or
            (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $a) (v128.const i8x16 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b)))
              (i32.shl (i8x16.bitmask (i8x16.eq (local.get $b) (v128.const i8x16 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b))) (i32.const 16))))
            (i64.shl
              (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $c) (v128.const i8x16 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b)))
                (i32.shl (i8x16.bitmask (i8x16.eq (local.get $d) (v128.const i8x16 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b))) (i32.const 16))))
              (i64.const 32)))
          (i64.xor (local.get $inside) (i64.const -1))))
      (local.set $closes
        (i64.and
          (i64.or
            (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $a) (v128.const i8x16 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d)))
              (i32.shl (i8x16.bitmask (i8x16.eq (local.get $b) (v128.const i8x16 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d))) (i32.const 16))))
            (i64.shl
              (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $c) (v128.const i8x16 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d)))
                (i32.shl (i8x16.bitmask (i8x16.eq (local.get $d) (v128.const i8x16 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d 0x7d))) (i32.const 16))))
              (i64.const 32)))
          (i64.xor (local.get $inside) (i64.const -1))))
      (if (i32.gt_s (i32.sub (local.get $depth) (i32.wrap_i64 (i64.popcnt (local.get $closes)))) (i32.const 0))
        (then
          ;; The depth cannot reach zero in this block.
          (local.set $depth
            (i32.add (local.get $depth)
              (i32.wrap_i64 (i64.sub (i64.popcnt (local.get $opens)) (i64.popcnt (local.get $closes)))))))
        (else
          ;; It may: walk the block's brackets in order.
          (local.set $both (i64.or (local.get $opens) (local.get $closes)))
          (block $walked
            (loop $each
              (br_if $walked (i64.eqz (local.get $both)))
              (local.set $k (i32.wrap_i64 (i64.ctz (local.get $both))))
              (local.set $depth
                (i32.add (local.get $depth)
                  (select (i32.const 1) (i32.const -1)
                    (i64.ne (i64.and (local.get $opens) (i64.and (local.get $both) (i64.sub (i64.const 0) (local.get $both)))) (i64.const 0)))))
              (if (i32.eqz (local.get $depth))
                (then (return (i32.add (i32.add (local.get $i) (local.get $k)) (i32.const 1)))))
              (local.set $both (i64.and (local.get $both) (i64.sub (local.get $both) (i64.const 1))))
              (br $each)))))
      (local.set $i (i32.add (local.get $i) (i32.const 64)))
      (if (i32.wrap_i64 (local.get $in_string))
        (then
          ;; A string runs on past the block: find its closing quote at string_end's pace, with
          ;; no brackets to count, and go on from the byte after it.
          (loop $string
            (if (i32.ge_u (local.get $i) (local.get $n)) (then (return (i32.const -1))))
            (local.set $a (v128.load (local.get $i)))
            (local.set $b (v128.load offset=16 (local.get $i)))
            (local.set $c (v128.load offset=32 (local.get $i)))
            (local.set $d (v128.load offset=48 (local.get $i)))
            (local.set $slashes
              (i64.or
                (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $a) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c)))
                  (i32.shl (i8x16.bitmask (i8x16.eq (local.get $b) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c))) (i32.const 16))))
                (i64.shl
                  (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $c) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c)))
                    (i32.shl (i8x16.bitmask (i8x16.eq (local.get $d) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c))) (i32.const 16))))
                  (i64.const 32))))
            (local.set $code
              (i64.xor
                (i64.sub
                  (i64.or (i64.shl (i64.and (local.get $slashes) (i64.xor (local.get $carry) (i64.const -1))) (i64.const 1)) (i64.const 0xaaaaaaaaaaaaaaaa))
                  (i64.and (local.get $slashes) (i64.xor (local.get $carry) (i64.const -1))))
                (i64.const 0xaaaaaaaaaaaaaaaa)))
            (local.set $escaped (i64.xor (local.get $code) (i64.or (local.get $slashes) (local.get $carry))))
            (local.set $carry (i64.shr_u (i64.and (local.get $code) (local.get $slashes)) (i64.const 63)))
            (local.set $quotes
              (i64.and
                (i64.or
                  (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $a) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22)))
                    (i32.shl (i8x16.bitmask (i8x16.eq (local.get $b) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22))) (i32.const 16))))
                  (i64.shl
                    (i64.extend_i32_u (i32.or (i8x16.bitmask (i8x16.eq (local.get $c) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22)))
                      (i32.shl (i8x16.bitmask (i8x16.eq (local.get $d) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22))) (i32.const 16))))
                    (i64.const 32)))
                (i64.xor (local.get $escaped) (i64.const -1))))
            (if (i64.eqz (local.get $quotes))
              (then
                (local.set $i (i32.add (local.get $i) (i32.const 64)))
                (br $string))))
          (local.set $i (i32.add (i32.add (local.get $i) (i32.wrap_i64 (i64.ctz (local.get $quotes)))) (i32.const 1)))
          (local.set $in_string (i64.const 0))
          (local.set $carry (i64.const 0))))
      (br $block))
    (i32.const -1))
)
