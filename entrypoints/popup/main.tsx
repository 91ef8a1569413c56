import { render } from 'preact';

function Popup() {
  return <main>ATRIP Stop-Ticket</main>;
}

render(<Popup />, document.getElementById('app')!);
