const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** Something that shows a run is still going, and goes away when told. */
export interface Progress {
  stop(): void;
}

/**
 * A spinner with the elapsed time on `stream`, drawn only when it is a terminal (never in pipes or logs).
 *
 * @example
 * const progress = startProgress(process.stderr, "planning");
 * try { await work(); } finally { progress.stop(); }
 */
export function startProgress(stream: NodeJS.WriteStream, label: string): Progress {
  if (!stream.isTTY) return { stop() {} };
  const started = Date.now();
  let frame = 0;
  const draw = () => {
    const elapsed = Math.floor((Date.now() - started) / 1000);
    stream.write(`\r${FRAMES[frame % FRAMES.length]} ${label} (${elapsed}s)\u001b[K`);
    frame += 1;
  };
  draw();
  const timer = setInterval(draw, 100);
  return {
    stop() {
      clearInterval(timer);
      stream.write("\r\u001b[K");
    },
  };
}
