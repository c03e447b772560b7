/** Entry of the standalone host page (/host.html, used by the browser runtime): the module on `window.outpostHost`. */
import * as host from "./index.ts";

(globalThis as unknown as { outpostHost: typeof host }).outpostHost = host;
