/**
 * Fixed signing keys of the development identity provider. They are public on purpose: the dev-idp
 * never runs in production, and fixed keys keep test tokens and JWKS stable across runs.
 */

/** The key the provider signs ID tokens with (published in its JWKS). */
export const SIGNING_KEY = {
  "kid": "dev-idp-1",
  "use": "sig",
  "alg": "RS256",
  "kty": "RSA",
  "n": "tQ02Y2jE5MAQiItqecYVtSVbNZ6Tz7vXu4i-ZEK9sbimXLCaMxmg0UsA5IT3LkbwBpWeKhpfOauodwiuFOJaNzcrYkLiECZ-GHhffCPzUMkBOtRnONvpjwAJeWlCCkGOIQSdDUmVwIhLZbFxVMJ7hFQrUl3gk0gpLTkOhlSFqZdO8lo0vmjp0pOluVhg4UdV52IHitRl16EwI4e6HYJNFApOY2ImyoYNX00UtdYH5Jrm3tb3jMO9s7gHIEPHNBx911P8ZfpgUSDRy5-EzMaB0Oi5RyKPwSbk2uCLaYLDUt-tPQLBYctN7lztUXwD2ptqyNsiQEkhwskNkWjcqSLMaw",
  "e": "AQAB",
  "d": "EtKoVGZ4jeWv8lo4PCfNavNSy7zMVj0LvToGvUq5CQiO9zT_Gw_vicLX-WoffqauXqjgdDUgsFC554I2AwLTaUkpkAIvGYm-81FUcAYWzk_PemvJvX4ThqP02DQKwyE0oxclMtPzJzykRhLQGwVLLSNJC7up1PYcHdEAQxP3f32ITeNYWMV8dBvHcl2ISXhi3eqM1-gce_X1_KlBeHDS3PAp3FgYtMbb3zeGtBc0WSzz9LRc7q8xN3QJHTGOP117OgzFA1ULqabCSbYbJOX8x15WriMWBeaOddiIYP3gthf8vAcGM1ubNoQ1jr0EGDamV-RoJDgGnEQaMsvipsciFQ",
  "p": "4YRf8l5W39bcwESOIwDBdExYy2Bp8CgXxqyFHsK1tGId_GZUA5rUu4qxEnTIocgxEA79KSfR5DJYYc0ccuwM7IMotkEFwRw2L6s8j4ZaqvaIlKBYWHE58CHxCzHJVMRQoa37bfCNmK-UwEY-EKoDPyCF6jSrbM8hn3yXAjEeBM8",
  "q": "zYYv-qUiiywxZjYtIHBc1uemQmeCqRUFpbUu-ZkLtPCOMKSEbrYzG6-MSaf8TkHJZlUzyYIT1nAP4H4q8Dqeu-9OTtarzoDHPgjZ9J4N2FexsT-ku0RoGty0bbGLHb1UO15-enwM5hDorGEEZS0SfE4mSiaMmVgFV_4V0u3t3aU",
  "dp": "Mx7WwRIxjzwdflgMAFNDhyFnX3LTkOUFvruM0ZRBrEoxke2ATfDjGEAwM4bVlBbVSFadfJ7SLXBcKI9eS47GvzZcHDRRIZ1LizK936sNEoQgIdDXNfU0tQJ8qZT3loeJ35yYyislbd8fURabKxve8Ihm0thto5Swgn6znIOV0nE",
  "dq": "r7dqjgFh51uBYMIxEur-dT7ZBy04qRcwHN0rrHsNZ0XETBJcp8tfJuyQJOla7g2RA80U2dQ84bot2OIGFB4KWOPhL8aaXZP8xS0MK_h2HeHcKo8faHy0BUNtf9ur9WFKAvhnapFk9c6_H6JS_63pgB3Q3tTWoMSAzRqPzidel4E",
  "qi": "OjTTW34CCcVwWWrjIF81-ywXvlq-QkbmUW8PBLo4gOsKn2N2T01DR3Cu8rRR6tHbqCuX_9H5vzQFddydJqjeS5UsloyiRZl3RVHqMD6h0I0XR96Qs5e-ic7cA4A5spN91y59ZfdMLgl26z2t35-X4D3VJbtxqgXcETo139JW6u4"
} as const;

/** A key the provider never publishes: tokens signed with it must fail signature checks. */
export const ROGUE_KEY = {
  "kid": "dev-idp-rogue",
  "use": "sig",
  "alg": "RS256",
  "kty": "RSA",
  "n": "jwUsrsesx-h5WGWuZnnyaGnsTM2LtQMn0tOqe5AkxDzInsZuCojjNKGqxAqD6LgOrzcwH8r0m6ErO28dbqwjFv7044dz9V8nm1GLBxlA2cHFVlpHbBo37IxioflkaIp_khzMdZzKxYibx2ePWq7NEXWs9WnZR0lveRChOoDwZdPN-nbmH6C9U_vlMVm8_twlDJyNoCuz_JxYnyzXxTMbIANDjySYlBxWHOQZuaFRaBJSDmSGpKQEhEff-XmgYEu5qixD56BbD97ndlZhR698KI8rc_dX6LhM4bZrBuSVRzzQGtyhQG884ZEFTR1Q-FymAQSIPC1GSLeOI66XNwteJw",
  "e": "AQAB",
  "d": "JoIwK8dbwF_Z_HE0aic_m9mZZHybt1toJ54Scz62h5gONKIdEv0UoCE_h5WFOu4EFi136beN8TGOIGyksh3rPM_dRD4-fLzoPyvPkVO9YGSKK9wXCwZsNGcAT7iEzpksDD1w1-IlvtYvi5tYwAP890yGC3Y6qLUfLKvLnaMGF4RvCSAzjkg7YEXvK65m2imT8WuWbP_2Dshrn9FRO4dQKimN-N2llXcMDY39OeWMSbIYrLkyMgheLUjcnebn7aoXkDnPEOwqbsNrKLQx3hfLZdDwOKT2Noynu7cBw0GZJKVRHY26GLGrCx5Uew5AHtPpqCESg66u8K21AODUrFqXoQ",
  "p": "xAPp0E0zX1RWXQ3qqD0fVFVYgGzbqsMfTfshbpuK_f_MIrZX6vTIOqhhxj-mVMOqryXZXzvbDt3rXBB6FDmcL6DMf8X5ZPgXD1f7g2lCjRYqGiIGIpy5De5wYcMg8luM3DkXmFQ1BlM3nvnhbFjwKbUNOA4HUXJDk73yCa91NY8",
  "q": "usmPTzxdRM5jlq44HmkeiVp0EuD9w1EDQmeBZl1w0MQJ3OMxRFbtQXwyjWRpNmSnM_jLPCMkAX437b79x66IswBUmwkWauTj7pMQHZTvbAuhINllfPifyD6HJ1IMhDgbOZBBDORH2p_4b-i1gdb8tmJiVyl1n200utiNNO3u8ek",
  "dp": "UaYbqAPwaT41N0_Ltka3nSZr1hsCKZBbotz_4RXzgLgjrTXtS1apbR2klLMAswBKQejvMec56WhxWIkYgQI6V_CQHo01xGQ_HsoUX3niGejoorgXfCVyRCZVM7PXLn0KINW7SV2SNM9HNPZ7eulVKNpc5kOZssh487rEblpi5Ws",
  "dq": "e6-eoyRgyoA0eAHTjWekXeW0uQ-dWimaE-3ARQ2Y99Tohwk2hX9eSh-4xeH4vZj3EzYrNh466HYxCNCQ8hoD0Sxl2eexnYUF3eQqJryJsi0dPEhYqOFlxM6K5qGxQhh5BqwcNzIu1nlZpJkfH-RBoXASmI8OoUxKP3PIRYVM1Yk",
  "qi": "hPLKbiNt67zl595SmCsvmpkrz3b-LVhbBDCnteGZrESGoBUVkLsJUM-k7XjAAXL0JNDx0h8aIn6BnjH0_pZWRmSU0kWQlzDML6Z5IO5v-ysOPjJTpatScy3tNGnf8YLsG_ntZcLZVu1Ay6LJJlbOlJ-KC82G-S6PFv5sIFPsau0"
} as const;
