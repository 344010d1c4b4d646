"""Images that go out to clients and the website, derived from the authors' originals.

An instructor's photo comes from a phone: 4000 × 3000 pixels, several megabytes, turned
sideways by an EXIF tag, often HEIC, carrying the GPS position where it was taken. Nothing
of that file is copied out. `derive` makes each output from it (upright, sRGB, sized for
where it is placed, every metadata block gone, the same bytes every time); `store` caches
what it made by a hash of the original and the settings; `check` tells authors, in
`pipeline check`, about originals that cannot be used or will print badly; `svg` refuses
drawings that carry scripts or references and strips their metadata.
"""
