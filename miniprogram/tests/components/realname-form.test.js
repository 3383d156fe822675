/** @jest-environment jsdom */
const { render, listen, texts, simulate } = require('./helpers')

async function fill(comp, values, agree = true) {
  Object.keys(values).forEach(field => comp.querySelector(`#${field}`).dispatchEvent('input', { detail: { value: values[field] } }))
  if (agree) comp.querySelector('#consent').dispatchEvent('change', { detail: { value: ['agree'] } })
  await simulate.sleep(0)
}

async function submit(comp) {
  comp.querySelector('#submit').dispatchEvent('tap')
  await simulate.sleep(0)
}

test('a valid form is sent normalised: upper-case X, phone without +86 and dashes', async () => {
  const comp = render('realname-form')
  const events = listen(comp, 'submit')
  await fill(comp, { name: ' 张三 ', id_number: '11010519491231002x', phone: '+86 138-0013-8000' })
  await submit(comp)
  expect(events).toEqual([{ name: 'submit', detail: { name: '张三', id_number: '11010519491231002X', phone: '13800138000' } }])
  expect(comp.querySelectorAll('.error')).toHaveLength(0)
})

test('each bad field shows the server\'s message and nothing is sent', async () => {
  const comp = render('realname-form')
  const events = listen(comp, 'submit')
  await fill(comp, { name: '', id_number: '110105194912310021', phone: '12345' })
  await submit(comp)
  expect(events).toEqual([])
  expect(comp.querySelector('#name-error').dom.textContent).toBe('请填写姓名')
  expect(comp.querySelector('#id_number-error').dom.textContent).toBe('身份证号码校验位不正确，请检查是否输错')
  expect(comp.querySelector('#phone-error').dom.textContent).toBe('请输入11位手机号码')
})

test('typing in a field clears its error; leaving a field checks it', async () => {
  const comp = render('realname-form')
  await fill(comp, { id_number: '4403' }, false)
  comp.querySelector('#id_number').dispatchEvent('blur', { detail: { value: '4403' } })
  await simulate.sleep(0)
  expect(texts(comp, '#id_number-error')).toEqual(['身份证号码应为18位'])
  await fill(comp, { id_number: '44030' }, false)
  expect(comp.querySelector('#id_number-error')).toBeUndefined()
})

test('nothing is sent without consent to the use of personal information', async () => {
  const comp = render('realname-form')
  const events = listen(comp, 'submit')
  await fill(comp, { name: '李四', id_number: '11010519491231002X', phone: '13800138000' }, false)
  await submit(comp)
  expect(events).toEqual([])
  expect(texts(comp, '#consent-error')).toEqual(['请先阅读并同意个人信息使用说明'])
  comp.querySelector('#consent').dispatchEvent('change', { detail: { value: ['agree'] } })
  await submit(comp)
  expect(events.map(e => e.detail.name)).toEqual(['李四'])
})

test('while submitting, the button is busy and a second tap sends nothing', async () => {
  const comp = render('realname-form', { submitting: true })
  const events = listen(comp, 'submit')
  await fill(comp, { name: '李四', id_number: '11010519491231002X', phone: '13800138000' })
  await submit(comp)
  expect(events).toEqual([])
})
