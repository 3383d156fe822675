// Input checks for enterprise registration (the server checks again): 统一社会信用代码 (GB 32100),
// the contact's mobile number, and that every choice was made.
const validators = require('./validators')

/** Check the registration form: {ok, errors: {field: message}, body} with body ready for POST /enterprises. */
function checkRegistration(form) {
  const errors = {}
  const name = String(form.name || '').trim()
  if (name.length < 2) errors.name = '请填写企业名称'
  const code = validators.checkCreditCode(form.credit_code)
  if (!code.ok) errors.credit_code = code.message
  if (!form.industry) errors.industry = '请选择行业'
  if (!form.size) errors.size = '请选择企业规模'
  if (!form.district) errors.district = '请选择注册所在区域'
  const contactName = validators.checkName(form.contact_name)
  if (!contactName.ok) errors.contact_name = '请填写联系人姓名'
  const phone = validators.checkPhone(form.contact_phone)
  if (!phone.ok) errors.contact_phone = phone.message
  const ok = Object.keys(errors).length === 0
  const body = ok ? { name, credit_code: code.value, industry: form.industry, size: form.size, district: form.district,
    contact: { name: contactName.value, phone: phone.value } } : null
  return { ok, errors, body }
}

const STATUS = { pending: '审核中', verified: '已认证', rejected: '未通过' }

/** An enterprise's status in Chinese. */
function statusText(status) {
  return STATUS[status] || status
}

module.exports = { checkRegistration, statusText }
