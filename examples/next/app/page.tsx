import { Ramp } from './ramp';

// a server component: the page, and the widget's tag with its attributes, are rendered on the server
export default function Page() {
  return (
    <main>
      <h1>Buy and sell crypto</h1>
      <Ramp />
    </main>
  );
}
