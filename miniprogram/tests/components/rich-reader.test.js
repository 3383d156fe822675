/** @jest-environment jsdom */
const { render, listen, boundAttr, simulate } = require('./helpers')

// body_nodes as GET /api/v1/gazette/documents/{id} sends them.
const NODES = [
  { name: 'h2', attrs: {}, children: [{ type: 'text', text: '一、总体要求' }] },
  { name: 'p', attrs: {}, children: [{ type: 'text', text: '为做好优化营商环境相关工作，制定本通知。' }] },
  { name: 'ol', attrs: {}, children: [{ name: 'li', attrs: {}, children: [{ type: 'text', text: '明确责任分工。' }] }] },
]

function fontSize(comp) {
  return /font-size:\s*(\d+)px/.exec(comp.querySelector('#body').dom.getAttribute('style'))[1]
}

test('the server\'s nodes go to <rich-text> unchanged, at the reader\'s size', () => {
  const comp = render('rich-reader', { nodes: NODES, level: 2 })
  const body = comp.querySelector('#body')
  expect(body.dom.tagName.toLowerCase()).toBe('wx-rich-text')
  expect(boundAttr(body, 'nodes')).toEqual(NODES)
  expect(fontSize(comp)).toBe('18')
})

test('A+ and A- ask for the next size; the page decides and the text follows', async () => {
  const comp = render('rich-reader', { nodes: NODES, level: 1 })
  const events = listen(comp, 'fontsize')
  comp.querySelector('#larger').dispatchEvent('tap')
  comp.querySelector('#smaller').dispatchEvent('tap')
  await simulate.sleep(0)
  expect(events.map(e => e.detail.level)).toEqual([2, 0])
  comp.setData({ level: 4 })
  expect(fontSize(comp)).toBe('22')
})

test('the sizes stop at both ends', async () => {
  const comp = render('rich-reader', { nodes: NODES, level: 4 })
  const events = listen(comp, 'fontsize')
  comp.querySelector('#larger').dispatchEvent('tap')
  await simulate.sleep(0)
  expect(events).toEqual([])
  expect(comp.querySelector('#larger').dom.className).toContain('off')
  comp.setData({ level: 0 })
  comp.querySelector('#smaller').dispatchEvent('tap')
  await simulate.sleep(0)
  expect(events).toEqual([])
  expect(fontSize(comp)).toBe('14')
})

test('in 关怀模式 the same five levels start at 18px, so the body is never smaller', async () => {
  const comp = render('rich-reader', { nodes: NODES, level: 0, care: true })
  expect(fontSize(comp)).toBe('18')
  const events = listen(comp, 'fontsize')
  comp.querySelector('#smaller').dispatchEvent('tap')
  await simulate.sleep(0)
  expect(events).toEqual([])
  comp.setData({ level: 4 })
  expect(fontSize(comp)).toBe('26')
  expect(comp.querySelector('#larger').dom.className).toContain('off')
})
