// The short address (p/index.html): the phone page, with the code after the # as typed;
// from /p/ (a folder, as most web servers answer /p) or from /p itself.
"use strict";
const page = window.location.pathname.endsWith("/") ? "../html/packet.html" : "html/packet.html";
window.location.replace(page + window.location.hash);
