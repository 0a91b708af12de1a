import { describe, expect, it } from 'vitest'
import { partnerBootstrapInput } from '../../src/main/partner-config.ts'

const env = {
  PLAYBOOK_INTEGRATION_TOKEN: 'int_secret',
  PLAYBOOK_PARTNER_USER_ID: 'u-42',
  PLAYBOOK_PARTNER_EMAIL: 'ana@studio.test',
  PLAYBOOK_PARTNER_NAME: 'Ana',
  PLAYBOOK_PARTNER_ORG_NAME: 'Studio',
}

describe('partner bootstrap configuration (seed 000)', () => {
  it('is nothing when nothing is configured', () => {
    expect(partnerBootstrapInput(undefined, {}, 'https://api.test')).toBeNull()
  })

  it('reads the environment', () => {
    expect(partnerBootstrapInput(undefined, env, 'https://api.test')).toEqual({
      apiUrl: 'https://api.test',
      integrationToken: 'int_secret',
      partnerUserId: 'u-42',
      email: 'ana@studio.test',
      name: 'Ana',
      orgName: 'Studio',
      boards: undefined,
    })
  })

  it('reads an admin config file, with the environment winning', () => {
    const file = {
      apiUrl: 'https://partner.test',
      partnerUserId: 'u-1',
      email: 'old@studio.test',
      name: 'Ana',
      orgName: 'Studio',
      boards: [{ title: 'Welcome', assets: [{ url: 'https://cdn.test/a.jpg' }] }],
    }
    const input = partnerBootstrapInput(
      file,
      { PLAYBOOK_INTEGRATION_TOKEN: 't', PLAYBOOK_PARTNER_EMAIL: 'new@studio.test' },
      'https://api.test',
    )
    expect(input?.apiUrl).toBe('https://partner.test')
    expect(input?.email).toBe('new@studio.test')
    expect(input?.boards?.[0]?.assets?.[0]?.url).toBe('https://cdn.test/a.jpg')
  })

  it('names the field that is wrong', () => {
    expect(() =>
      partnerBootstrapInput(
        undefined,
        { ...env, PLAYBOOK_PARTNER_EMAIL: 'nope' },
        'https://api.test',
      ),
    ).toThrow(/email/)
    expect(() =>
      partnerBootstrapInput(
        { ...{ partnerUserId: 'u', email: 'a@b.test', name: 'A', orgName: 'O' } },
        {},
        'https://api.test',
      ),
    ).toThrow(/integrationToken/)
    expect(() =>
      partnerBootstrapInput(
        { partnerUserId: 'u', surprise: 1 },
        { PLAYBOOK_INTEGRATION_TOKEN: 't' },
        'https://api.test',
      ),
    ).toThrow(/Partner configuration/)
  })
})
