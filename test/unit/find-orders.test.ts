// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { anchorFor, findOrders, isInSkippedArea, orderNumbersIn } from '@/utils/page/find-orders';

const A = 'TESTA20261126090000001';
const B = 'TESTB20261125100000002';
const C = 'ZNMKU20220119160129691';

function page(html: string): HTMLElement {
  document.body.innerHTML = html;
  return document.body;
}
const numbers = (root: Node) => findOrders(root).map((o) => o.orderNo);

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('orderNumbersIn (text)', () => {
  it('finds a number as a whole word, with its offset', () => {
    expect(orderNumbersIn(`Order ${A} paid`)).toEqual([{ orderNo: A, offset: 6 }]);
    expect(orderNumbersIn(A)).toEqual([{ orderNo: A, offset: 0 }]);
  });

  it('finds several numbers in one text, in order', () => {
    expect(orderNumbersIn(`${A}, ${B};${C}`).map((o) => o.orderNo)).toEqual([A, B, C]);
  });

  it('accepts Chinese text and punctuation right beside the number', () => {
    expect(orderNumbersIn(`订单号${A}（已支付）`).map((o) => o.orderNo)).toEqual([A]);
    expect(orderNumbersIn(`#${A}.`).map((o) => o.orderNo)).toEqual([A]);
  });

  it.each([
    ['4 letters', 'TEST20261126090000001'],
    ['6 letters (inside a longer word)', 'XTESTA20261126090000001'],
    ['16 digits', 'TESTA2026112609000000'],
    ['18 digits', 'TESTA202611260900000012'],
    ['lowercase', 'testa20261126090000001'],
    ['mixed case', 'TestA20261126090000001'],
    ['followed by a letter', 'TESTA20261126090000001X'],
    ['preceded by a digit', '9TESTA20261126090000001'],
    ['digits with a space inside', 'TESTA2026112609 0000001'],
  ])('ignores look-alikes: %s', (_name, text) => {
    expect(orderNumbersIn(text)).toEqual([]);
    expect(orderNumbersIn(`see ${text} here`)).toEqual([]);
  });
});

describe('findOrders (DOM)', () => {
  it('finds the number of a table cell link, anchored after the link', () => {
    page(`<table><tbody><tr><td><a href="#/order/detail/${A}/zh">${A}</a></td><td>PEK→SHA</td></tr></tbody></table>`);
    const [found, ...rest] = findOrders(document.body);
    expect(rest).toEqual([]);
    expect(found!.orderNo).toBe(A);
    expect(found!.anchor.tagName).toBe('A');
    expect(found!.placement).toBe('after-anchor');
    expect(found!.text.data).toBe(A);
  });

  it('anchors a number sitting directly in a cell after its text, inside the cell', () => {
    page(`<table><tbody><tr><td id="cell">${A}</td></tr></tbody></table>`);
    const [found] = findOrders(document.body);
    expect(found!.anchor.id).toBe('cell');
    expect(found!.placement).toBe('after-text');
  });

  it('anchors a number in a span inside a link after the link (a control inside a link would navigate)', () => {
    page(`<div><a href="/x" id="link"><span class="no">${A}</span></a></div>`);
    const [found] = findOrders(document.body);
    expect(found!.anchor.id).toBe('link');
    expect(found!.placement).toBe('after-anchor');
  });

  it('anchors a number in a span after the span (detail page)', () => {
    page(`<table><tr><th>Order No.</th><td><span class="order-no">${A}</span></td></tr></table>`);
    const [found] = findOrders(document.body);
    expect(found!.anchor.className).toBe('order-no');
    expect(found!.placement).toBe('after-anchor');
  });

  it('returns the same order twice as two occurrences', () => {
    page(`<h1>${A}</h1><p>Order <b>${A}</b> again, and ${A} in the same text as ${B}</p>`);
    const found = findOrders(document.body);
    expect(found.map((o) => o.orderNo)).toEqual([A, A, A, B]);
    expect(found[2]!.text).toBe(found[3]!.text);
    expect(found.slice(2).map((o) => o.index)).toEqual([0, 1]);
    expect(new Set(found.map((o) => o.text)).size).toBe(3);
  });

  it('skips numbers inside inputs, textareas, selects, scripts, styles, noscript and templates', () => {
    page(`
      <input value="${A}"><textarea>${A}</textarea>
      <select><option>${A}</option></select>
      <script>var n = "${A}";</script><style>/* ${A} */</style>
      <noscript>${A}</noscript><template><span>${A}</span></template>
      <p>${B}</p>`);
    expect(numbers(document.body)).toEqual([B]);
  });

  it('skips editable areas (contenteditable, but not contenteditable="false")', () => {
    page(`
      <div contenteditable="true"><p>${A}</p></div>
      <div contenteditable=""><span>${A}</span></div>
      <div contenteditable="plaintext-only">${A}</div>
      <div contenteditable="false"><span>${B}</span></div>`);
    expect(numbers(document.body)).toEqual([B]);
  });

  it('skips our own UI hosts', () => {
    page(`<p>${B}</p><atrip-stop-control>${A}</atrip-stop-control><atrip-stop-bar><span>${A}</span></atrip-stop-bar>`);
    expect(numbers(document.body)).toEqual([B]);
  });

  it('does not match a number split across elements (documented limitation)', () => {
    // The text nodes "TESTA" and "20261126090000001" are separate: no single text node holds the
    // number, so no control could be placed beside it nor its text re-read safely at click time.
    page(`<p><b>TESTA</b>20261126090000001</p><p><span>TESTA2026112609</span><span>0000001</span></p>`);
    expect(numbers(document.body)).toEqual([]);
  });

  it('scans a subtree root, and nothing when that root is inside a skipped area', () => {
    page(`<div id="a"><p>${A}</p></div><div contenteditable="true"><p id="inner">${B}</p></div>`);
    expect(numbers(document.getElementById('a')!)).toEqual([A]);
    expect(numbers(document.getElementById('inner')!)).toEqual([]);
    expect(isInSkippedArea(document.getElementById('inner')!.firstChild!)).toBe(true);
    // A text node as root.
    expect(numbers(document.getElementById('a')!.firstElementChild!.firstChild!)).toEqual([A]);
  });

  it('finds rows added later when the new rows are scanned, and the same result on re-scan', () => {
    page(`<table><tbody id="rows"><tr><td><a href="#">${A}</a></td></tr></tbody></table>`);
    expect(numbers(document.body)).toEqual([A]);
    const row = document.createElement('tr');
    row.innerHTML = `<td><a href="#">${B}</a></td>`;
    document.getElementById('rows')!.append(row);
    expect(numbers(row)).toEqual([B]);
    // Pure: scanning twice gives the same occurrences (same text nodes), never more.
    const first = findOrders(document.body);
    const second = findOrders(document.body);
    expect(second.map((o) => o.orderNo)).toEqual([A, B]);
    expect(second.map((o) => o.text)).toEqual(first.map((o) => o.text));
  });

  it('has no anchor for a detached text node', () => {
    expect(anchorFor(document.createTextNode(A))).toBeNull();
  });
});
