/**
 * Resolves in a new task (not a microtask), so that work before and after it is not one long task.
 * A message port, not `setTimeout`: timers in hidden pages are throttled to one a second.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}
