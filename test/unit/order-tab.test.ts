import { describe, expect, it } from 'vitest';
import { findOrderTab, orderDetailUrl, orderShownBy, type TabInfo } from '@/utils/background/logic/order-tab';

const A = 'TESTA20261126090000001';
const B = 'TESTA20261126090000002';
const portals = new Set(['https://www.atriptech.com', 'https://white-label.example', 'http://127.0.0.1:8790']);
const isPortal = (origin: string) => portals.has(origin);

describe('orderShownBy', () => {
  it('reads the order of a detail page’s hash route, with or without a language or a query', () => {
    expect(orderShownBy(`https://www.atriptech.com/#/order/detail/${A}/en`)).toBe(A);
    expect(orderShownBy(`https://www.atriptech.com/#/order/detail/${A}`)).toBe(A);
    expect(orderShownBy(`http://127.0.0.1:8790/portal/#/order/detail/${A}/zh?tab=2`)).toBe(A);
  });

  it('is null for lists, other routes, non-order numbers and non-URLs', () => {
    expect(orderShownBy('https://www.atriptech.com/#/order/list')).toBeNull();
    expect(orderShownBy(`https://www.atriptech.com/order/detail/${A}/en`)).toBeNull(); // a path, not the hash route
    expect(orderShownBy(`https://www.atriptech.com/#/order/detail/${A}X/en`)).toBeNull();
    expect(orderShownBy(`https://www.atriptech.com/#/order/detailed/${A}`)).toBeNull();
    expect(orderShownBy('not a url')).toBeNull();
  });
});

describe('findOrderTab', () => {
  const tab = (id: number, url: string | undefined, extra: Partial<TabInfo> = {}): TabInfo => ({ id, windowId: 1, url, ...extra });

  it('takes only tabs on a portal origin at the order’s detail page', () => {
    const tabs = [
      tab(1, undefined), // no host access: no URL
      tab(2, `https://evil.example/#/order/detail/${A}/en`),
      tab(3, `https://www.atriptech.com/#/order/detail/${B}/en`),
      tab(4, 'https://www.atriptech.com/#/order/list'),
      tab(5, `https://white-label.example/#/order/detail/${A}/zh`),
    ];
    expect(findOrderTab(tabs, A, isPortal)?.id).toBe(5);
    expect(findOrderTab(tabs.slice(0, 4), A, isPortal)).toBeUndefined();
  });

  it('of several, prefers the portal where the order was stopped, then the active tab, then the one used last', () => {
    const tabs = [
      tab(1, `https://www.atriptech.com/#/order/detail/${A}/en`, { lastAccessed: 30 }),
      tab(2, `https://white-label.example/#/order/detail/${A}/en`, { lastAccessed: 10 }),
      tab(3, `https://white-label.example/#/order/detail/${A}/zh`, { lastAccessed: 20 }),
    ];
    expect(findOrderTab(tabs, A, isPortal)?.id).toBe(1);
    expect(findOrderTab(tabs, A, isPortal, 'https://white-label.example/#/order/list')?.id).toBe(3);
    expect(findOrderTab([...tabs.slice(0, 2), { ...tabs[2]!, active: false }, tab(4, tabs[1]!.url, { active: true })], A, isPortal, 'https://white-label.example/')?.id).toBe(4);
  });
});

describe('orderDetailUrl', () => {
  it('opens the detail page on the origin and path where the order was stopped, in the UI language', () => {
    expect(orderDetailUrl(A, 'https://white-label.example/app/index.html?q=1#/order/list', 'zh')).toBe(`https://white-label.example/app/index.html#/order/detail/${A}/zh`);
    expect(orderDetailUrl(A, `http://127.0.0.1:8790/portal/#/order/detail/${A}/en`, 'zh')).toBe(`http://127.0.0.1:8790/portal/#/order/detail/${A}/zh`);
  });

  it('falls back to the ATRIP portal for an order stopped from the popup (or an odd URL)', () => {
    expect(orderDetailUrl(A, undefined, 'en')).toBe(`https://www.atriptech.com/#/order/detail/${A}/en`);
    expect(orderDetailUrl(A, 'javascript:alert(1)', 'zh')).toBe(`https://www.atriptech.com/#/order/detail/${A}/zh`);
    expect(orderDetailUrl(A, 'nonsense', 'zh')).toBe(`https://www.atriptech.com/#/order/detail/${A}/zh`);
  });
});
