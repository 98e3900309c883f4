/** Waits until `check` holds, looking again every `every` ms; fails naming `what` after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, { ms = 3000, every = 2 } = {}): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited too long for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
