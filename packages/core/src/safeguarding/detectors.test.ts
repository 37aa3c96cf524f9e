import { describe, expect, it } from 'vitest';
import { defaultEnglishRiskRules } from './default-rules.en.js';
import { createRiskEngine } from './engine.js';
import { buildRuleSet } from './rules.js';

const engine = createRiskEngine(buildRuleSet(defaultEnglishRiskRules));

/** What the rule with this id found in each text: its excerpts. */
const found = (ruleId: string) => (text: string) =>
  engine
    .assess(text)
    .matches.filter((m) => m.ruleId === ruleId)
    .map((m) => m.excerpt);

describe('phone_number', () => {
  const phone = found('und.personal.phone-number');

  it('finds numbers however they are spaced, written or disguised', () => {
    expect(phone('my number is 07700 900123')).toEqual(['07700 900123']);
    expect(phone('07700-900-123')).toEqual(['07700-900-123']);
    expect(phone('+44 7700 900123 x')).toEqual(['+44 7700 900123']);
    expect(phone('(020) 7946 0018')).toEqual(['020) 7946 0018']);
    expect(phone('0 7 7 0 0 9 0 0 1 2 3')).toEqual(['0 7 7 0 0 9 0 0 1 2 3']);
    expect(phone('o77oo 9oo123')).toEqual(['o77oo 9oo123']);
    expect(phone('０７７００９００１２３')).toEqual(['０７７００９００１２３']);
    expect(phone('0️⃣7️⃣7️⃣0️⃣0️⃣9️⃣0️⃣0️⃣1️⃣2️⃣3️⃣')).toHaveLength(1);
    expect(phone('zero seven seven double oh nine oh oh one two three')).toEqual([
      'zero seven seven double oh nine oh oh one two three',
    ]);
  });

  it('ignores short numbers, helplines, dates and scores', () => {
    for (const text of [
      'Childline 0800 1111',
      'Samaritans 116 123',
      'text SHOUT to 85258',
      'on 12/05/2024 at 10:30',
      'we won 3-1 and 2-0',
      'the years 2019 2020 2021',
      'zoo123456789',
      'one two three four five',
    ]) {
      expect(phone(text), text).toEqual([]);
    }
  });
});

describe('email', () => {
  const email = found('und.personal.email');

  it('finds addresses, written out or in words', () => {
    expect(email('mail me: jess.smith99@gmail.com!')).toEqual(['jess.smith99@gmail.com']);
    expect(email('jess at gmail dot com')).toEqual(['jess at gmail dot com']);
    expect(email('jess (at) hotmail (dot) co uk')).toEqual(['jess (at) hotmail (dot) co uk']);
  });

  it('ignores @handles and leetspeak', () => {
    expect(email('@jess_x')).toEqual([]);
    expect(email('w@nt')).toEqual([]);
    expect(email('meet @ 5')).toEqual([]);
  });
});

describe('social_handle', () => {
  const handle = found('und.personal.social-handle');

  it('finds @handles, apps followed by a name, tags and profile links', () => {
    expect(handle('snap me @jess_x')).toEqual(['snap me @jess_x']);
    expect(handle('follow @jess.x.')).toEqual(['@jess.x']);
    expect(handle('my snap is jess_2010')).toEqual(['snap is jess_2010']);
    expect(handle('insta: jessx')).toEqual(['insta: jessx']);
    expect(handle('sc me jessyyy')).toEqual(['sc me jessyyy']);
    expect(handle('add me jessx#1234')).toEqual(['jessx#1234']);
    expect(handle('instagram.com/jess.x')).toEqual(['instagram.com/jess.x']);
  });

  it('ignores talk about the apps', () => {
    for (const text of [
      'snapchat is down again',
      'my snap is broken',
      'snap me later',
      'I love snapchat filters',
      'my insta got hacked',
      'new season of fortnite',
      'jess@gmail.com',
      '@ the park',
    ]) {
      expect(handle(text), text).toEqual([]);
    }
  });
});

describe('url', () => {
  const url = found('und.personal.link');

  it('finds links with or without a scheme', () => {
    expect(url('see https://example.com/a?b=1.')).toEqual(['https://example.com/a?b=1']);
    expect(url('www.bbc.co.uk')).toEqual(['www.bbc.co.uk']);
    expect(url('go to discord.gg/abc now')).toEqual(['discord.gg/abc']);
  });

  it('ignores sentences joined by a full stop and abbreviations', () => {
    expect(url('i was tired.then i slept')).toEqual([]);
    expect(url('e.g. this')).toEqual([]);
  });
});

describe('street_address', () => {
  const address = found('en.personal.street-address');

  it('finds house numbers with streets, postcodes and "my address is"', () => {
    expect(address('I live at 12 Acacia Avenue')).toEqual(['I live at 12 Acacia Avenue']);
    expect(address('we live on Mill Lane')).toEqual(['we live on Mill Lane']);
    expect(address('42 Station Road is mine')).toEqual(['42 Station Road']);
    expect(address('postcode SW1A 1AA')).toEqual(['SW1A 1AA']);
    expect(address('my address is 4 elm road')).toEqual(['my address is 4 elm road']);
  });

  it('ignores roads, places and numbers that are not an address', () => {
    for (const text of [
      'I live at home',
      'we live on a farm',
      'I live in Leeds',
      'the 2 of us walked down the road',
      'we waited 20 minutes on the main road',
      'there are 3 ways to do it',
      'I came 2nd place',
      'see u b4 2pm',
    ]) {
      expect(address(text), text).toEqual([]);
    }
  });
});

describe('school_name', () => {
  const school = found('en.personal.school-name');

  it('finds the school someone goes to', () => {
    expect(school('I go to Westfield Academy')).toEqual(['I go to Westfield Academy']);
    expect(school("i'm in year 9 at St Mary's School")).toEqual([
      "i'm in year 9 at St Mary's School",
    ]);
    expect(school('I go to Oakwood High')).toEqual(['I go to Oakwood High']);
    expect(school('I go to Longsands sixth form')).toEqual(['I go to Longsands sixth form']);
  });

  it('ignores school in general', () => {
    for (const text of [
      'I go to school on the bus',
      'I go to the gym after school',
      'I go to a new school now',
      'I go to the same school as my cousin',
      "I'm at school till 3",
      'the school trip to the Shard',
      'I go to an all girls school',
    ]) {
      expect(school(text), text).toEqual([]);
    }
  });
});

describe('meeting_up', () => {
  const meeting = found('en.personal.meeting-up');

  it('finds invitations to meet and questions about where someone is', () => {
    expect(meeting('meet me at the park after school')).toEqual(['meet me at']);
    expect(meeting("what's your address")).toEqual(["what's your address"]);
    expect(meeting('come to my house later')).toEqual(['come to my house']);
    expect(meeting('we should meet up irl')).toEqual(['we should meet up']);
    expect(meeting('where do u live')).toEqual(['where do u live']);
  });

  it('ignores meeting friends and family and polite phrases', () => {
    for (const text of [
      'I am meeting up with my friends on saturday',
      'nice to meet you',
      'meet the new characters',
      'do you want to come to my party',
    ]) {
      expect(meeting(text), text).toEqual([]);
    }
  });
});
