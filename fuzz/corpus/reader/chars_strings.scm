#\a #\space #\newline #\x41 #\λ #\alarm #\nul #\x3bb
"a\tb\nc\\d\"e\x41;f" "line \
   continued" |sym with space| |a\x41;b| #u8(0 1 255) #(1 "two" #\3)
#!fold-case ABC #!no-fold-case #;(ignored datum) #| nested #| comment |# |# end
'a `(b ,c ,@d) #0=(a . #0#) (a . b) [x y]
