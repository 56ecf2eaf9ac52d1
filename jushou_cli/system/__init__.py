"""This PC: safe reading and atomic writing of files, the Japanese fonts, `doctor`'s checks."""
