/**
 * A view's update that its own side effects may ask for again (a render that focuses, closes a
 * popover or starts a timer changes the state): the request made while it runs becomes one more
 * pass after the current one, never a nested pass over a half-made view. `pass` returning `false`
 * ends the run (the view was disposed).
 */
export function reentrantUpdate(pass: () => boolean | void): () => void {
  let running = false;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        if (pass() === false) return;
      } while (again);
    } finally {
      running = false;
    }
  };
}
