/** The replay buffers of the resume benchmark: 8 MiB each side, above the 2 MiB the echo keeps in
 * flight each way at 4 KiB (a session must hold what is in flight; the 1 MiB default would end
 * it with `overflow` on the server, or hold the client's sends back). */
export const RESUME_BENCH_MAX_BYTES = 8 * 1024 * 1024;
