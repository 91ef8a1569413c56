// @vitest-environment happy-dom
/** Finding order numbers in a page (utils/content/logic/find-orders), one module's behaviour: in text, in the DOM, split by markup or invisible characters, in transient layers, and clipping. */
import { beforeEach, describe, expect, it } from 'vitest';
import { clipsInline, findOrders, isInSkippedArea, mayHoldNumber, placementOf, previousInlineText } from '@/utils/content/logic/find-orders';
import { orderNumbersIn } from '@/utils/shared/logic/order-text';

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
    // One run of text in the paragraph (through <b>): its numbers in order.
    expect(found.slice(1).map((o) => o.index)).toEqual([0, 1, 2]);
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

  it('has no placement for a detached text node', () => {
    expect(placementOf([document.createTextNode(A)])).toBeNull();
  });
});

describe('findOrders: numbers split by inline markup or invisible characters', () => {
  it('reads a number through search highlighting, as one occurrence holding every part', () => {
    page(`<table><tr><td id="cell"><a href="#" id="link">TESTA<em class="hl">2026112609</em>0000001</a></td></tr></table>`);
    const [found, ...rest] = findOrders(document.body);
    expect(rest).toEqual([]);
    expect(found!.orderNo).toBe(A);
    expect(found!.texts.map((t) => t.data)).toEqual(['TESTA', '2026112609', '0000001']);
    expect(found!.anchor.id).toBe('link'); // still after the link
    expect(found!.after).toBe(document.getElementById('link'));
  });

  it('reads through <wbr>, adjacent text nodes, nested inline elements and comments', () => {
    page(`<p><span id="s">TESTA<wbr>2026<b><i>1126</i></b>09<!-- x -->0000001</span></p>`);
    const span = document.getElementById('s')!;
    span.append(document.createTextNode(''));
    expect(numbers(document.body)).toEqual([A]);
    const [found] = findOrders(document.body);
    expect(found!.anchor).toBe(span);
    expect(found!.placement).toBe('after-anchor');
  });

  it('ignores zero-width spaces, joiners, word joiners, BOMs and soft hyphens inside a number', () => {
    for (const invisible of ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad']) {
      page(`<p>订单 TESTA2026${invisible}11260900${invisible}00001 已出票</p>`);
      expect(numbers(document.body)).toEqual([A]);
    }
    expect(orderNumbersIn(`TESTA2026\u200b1126090000001`)).toEqual([{ orderNo: A, offset: 0 }]);
    // An invisible text node of its own between the parts does not break the number either.
    page(`<p><span>TESTA2026</span><span>\u200b</span><span>1126090000001</span></p>`);
    expect(numbers(document.body)).toEqual([A]);
  });

  it('places the control after the inline element that ends a number split in a block', () => {
    page(`<table><tr><td id="cell">TESTA2026<em id="em">1126090000001</em> (paid)</td></tr></table>`);
    const [found] = findOrders(document.body);
    expect(found!.placement).toBe('after-text');
    expect(found!.anchor.id).toBe('cell');
    expect(found!.after).toBe(document.getElementById('em'));
  });

  it.each([
    ['a line break', `TESTA2026<br>1126090000001`],
    ['a block', `<div>TESTA2026</div><div>1126090000001</div>`],
    ['a space', `TESTA2026 1126090000001`],
    ['an image', `TESTA2026<img alt="">1126090000001`],
    ['our own control', `TESTA2026<atrip-stop-control></atrip-stop-control>1126090000001`],
    ['a form field', `TESTA2026<input>1126090000001`],
    ['visible text', `<b>TESTA2026</b>-<b>1126090000001</b>`],
  ])('does not join parts separated by %s', (_name, html) => {
    page(`<p>${html}</p>`);
    expect(numbers(document.body)).toEqual([]);
  });

  it('finds two split numbers in one run, in order, each with its own parts', () => {
    page(`<p id="p">TESTA<em>2026</em>1126090000001, TESTB<em>2026</em>1125100000002</p>`);
    const found = findOrders(document.body);
    expect(found.map((o) => o.orderNo)).toEqual([A, B]);
    expect(found.map((o) => o.index)).toEqual([0, 1]);
    expect(found[0]!.texts.at(-1)!.data).toBe('1126090000001, TESTB');
    expect(found[1]!.texts[0]).toBe(found[0]!.texts.at(-1));
  });

  it('knows the previous inline part of a text node, and nothing across a block', () => {
    page(`<div><span id="a">TESTA</span><em id="b">2026</em></div><div id="c">1126</div>`);
    const b = document.getElementById('b')!.firstChild as Text;
    expect(previousInlineText(b)).toBe(document.getElementById('a')!.firstChild);
    expect(previousInlineText(document.getElementById('c')!.firstChild as Text)).toBeNull();
  });
});

describe('mayHoldNumber (which rewritten text is worth reading again)', () => {
  it('says yes to 17 digits, and to letters or digits that may join a neighbour', () => {
    page(`<div id="a">${A}</div><div id="b">2026-11-26 09:00</div><div id="c">PEK→SHA</div><p id="d">TESTA<em>2026</em></p><div id="e">待出票</div>`);
    const text = (id: string) => document.getElementById(id)!.firstChild as Text;
    expect(mayHoldNumber(text('a'))).toBe(true);
    expect(mayHoldNumber(text('b'))).toBe(false); // a cell of its own: a date cannot be part of a number
    expect(mayHoldNumber(text('c'))).toBe(false);
    expect(mayHoldNumber(text('d'))).toBe(true); // beside <em>: may be a part
    expect(mayHoldNumber(document.querySelector('#d em')!.firstChild as Text)).toBe(true); // inside inline markup
    expect(mayHoldNumber(text('e'))).toBe(false);
  });
});

describe('findOrders: transient layers', () => {
  it.each([
    ['a tooltip (role)', `<div role="tooltip">${A}</div>`],
    ['an Element UI tooltip popper', `<div class="el-tooltip__popper is-dark" x-placement="top">${A}</div>`],
    ['an Element Plus popper', `<div class="el-popper is-light" data-popper-placement="bottom"><span>${A}</span></div>`],
    ['an Element UI select dropdown', `<div class="el-select-dropdown el-popper"><ul><li><span>${A}</span></li></ul></div>`],
    ['an Ant Design tooltip', `<div class="ant-tooltip"><div class="ant-tooltip-inner">${A}</div></div>`],
    ['a vxe-table tooltip', `<div class="vxe-table--tooltip-wrapper">${A}</div>`],
    ['a tippy.js tooltip', `<div data-tippy-root><div class="tippy-box">${A}</div></div>`],
  ])('finds nothing inside %s', (_name, html) => {
    page(`<p>${B}</p>${html}`);
    expect(numbers(document.body)).toEqual([B]);
  });

  it('still finds numbers in dialogs (they stay until the agent closes them)', () => {
    page(`<div class="el-dialog__wrapper"><div class="el-dialog" role="dialog">${A}</div></div><div class="ant-modal" role="dialog">${B}</div>`);
    expect(numbers(document.body)).toEqual([A, B]);
  });
});

describe('clipsInline', () => {
  it.each([
    [{ overflowX: 'hidden', whiteSpace: 'nowrap', display: 'block' }, true],
    [{ overflowX: 'clip', whiteSpace: 'pre', display: 'block' }, true],
    [{ overflowX: 'hidden', whiteSpace: 'normal', display: 'flex' }, true],
    [{ overflowX: 'hidden', whiteSpace: 'normal', display: 'inline-flex' }, true],
    [{ overflowX: 'hidden', whiteSpace: 'normal', display: 'block' }, false], // wraps: the control goes below
    [{ overflowX: 'visible', whiteSpace: 'nowrap', display: 'block' }, false],
    [{ overflowX: 'auto', whiteSpace: 'nowrap', display: 'block' }, false], // scrolls: reachable
  ])('%o → %s', (style, clips) => {
    expect(clipsInline(style as CSSStyleDeclaration)).toBe(clips);
  });
});
