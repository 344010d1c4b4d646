// The short address (p/index.html): the phone page, with the code after the # as typed.
"use strict";
window.location.replace(`../html/packet.html${window.location.hash}`);
