/** @jest-environment jsdom */
const { render, listen, texts, boundAttr, simulate } = require('./helpers')
const OPTIONS = require('../fixtures/subscription-options')
const layout = require('../../utils/subscriptions')

// The resident's own community, street and district, as GET /api/v1/map/locate names them.
const LOCATED = [
  { code: '440303003003', name: '立新社区', level: 'community' },
  { code: '440303003', name: '东门街道', level: 'street' },
  { code: '440303', name: '罗湖区', level: 'district' },
]

function editor(value, names = {}) {
  const sections = layout.editorSections(OPTIONS, { divisions: LOCATED, chosen: value && value.criteria, names })
  return render('subscription-editor', { sections, frequencies: OPTIONS.frequencies, value })
}

async function tapChoice(comp, group, label) {
  const choice = comp.querySelectorAll(`#group-${group} .choice`).find(c => c.dom.textContent.trim() === label)
  choice.dispatchEvent('tap')
  await simulate.sleep(0)
}

async function save(comp) {
  const events = listen(comp, 'save')
  comp.querySelector('#save').dispatchEvent('tap')
  await simulate.sleep(0)
  return events
}

test('groups come from the server\'s options, with the resident\'s own divisions', () => {
  const comp = editor(null)
  expect(texts(comp, '.group-label').slice(0, 5)).toEqual(['主题分类', '发布机构', '文种', '五公开', '区域（你所在的社区、街道、区）'])
  expect(texts(comp, '#group-divisions .choice')).toEqual(['立新社区', '东门街道', '罗湖区'])
  expect(texts(comp, '#group-topics .choice')).toEqual(['教育', '卫生、体育', '民政扶贫救灾'])
  // A resident's editor leaves out the enterprise-only criteria.
  expect(comp.querySelector('#group-industries')).toBeUndefined()
  expect(texts(comp, '.choice.on')).toEqual(['即时推送'])
})

test('a parent following 教育 in their community, once a day', async () => {
  const comp = editor(null)
  await tapChoice(comp, 'topics', '教育')
  await tapChoice(comp, 'divisions', '立新社区')
  comp.querySelector('#keywords').dispatchEvent('input', { detail: { value: '学位 ，招生、 学位' } })
  const frequency = comp.querySelectorAll('.choice').find(c => c.dom.textContent.trim() === '每日摘要（8:30）')
  frequency.dispatchEvent('tap')
  await simulate.sleep(0)
  const events = await save(comp)
  expect(events).toEqual([{ name: 'save', detail: {
    criteria: { topics: ['education'], agencies: [], doc_types: [], disclosures: [], divisions: ['440303003003'], keywords: ['学位', '招生'] },
    frequency: 'daily',
  } }])
})

test('editing shows what was chosen; a second tap removes a choice', async () => {
  const value = { criteria: { topics: ['civil_affairs_relief', 'health'], divisions: ['440304001'], keywords: ['长者饭堂'] }, frequency: 'weekly' }
  const comp = editor(value)
  expect(texts(comp, '.choice.on')).toEqual(['卫生、体育', '民政扶贫救灾', '440304001', '每周摘要（周一 8:30）'])
  expect(boundAttr(comp.querySelector('#keywords'), 'value')).toBe('长者饭堂')
  await tapChoice(comp, 'topics', '卫生、体育')
  await tapChoice(comp, 'divisions', '440304001')
  const [event] = await save(comp)
  expect(event.detail.criteria.topics).toEqual(['civil_affairs_relief'])
  expect(event.detail.criteria.divisions).toEqual([])
  expect(event.detail.criteria.keywords).toEqual(['长者饭堂'])
  expect(event.detail.frequency).toBe('weekly')
})

test('too many keywords are refused before asking the server', async () => {
  const comp = editor(null)
  const many = Array.from({ length: 21 }, (_, i) => `词${i}`).join(' ')
  comp.querySelector('#keywords').dispatchEvent('input', { detail: { value: many } })
  await simulate.sleep(0)
  expect(await save(comp)).toEqual([])
  expect(texts(comp, '.error')).toEqual(['关键词最多20个'])
})

test('a division chosen elsewhere shows its name when the server knows it, else its code', () => {
  const value = { criteria: { divisions: ['440304001', '440305'] }, frequency: 'weekly' }
  const comp = editor(value, { '440304001': '园岭街道' })
  expect(texts(comp, '#group-divisions .choice')).toEqual(['立新社区', '东门街道', '罗湖区', '园岭街道', '440305'])
  expect(texts(comp, '#group-divisions .choice.on')).toEqual(['园岭街道', '440305'])
})

