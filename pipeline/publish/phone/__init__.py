"""The packet on the phone: a static page (html/packet.html) that opens a printed packet from
the code in its link. `code`: what the link carries; `limits`: the safety limits the page
checks a code against; `data`: the library as the page reads it; `page`: the files written."""
