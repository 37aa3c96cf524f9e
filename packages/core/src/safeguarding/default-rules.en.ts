import type { RiskRuleInput } from './rules.js';

/*
 * Hearth's default English rule set, written for this project from how UK young people
 * (11–25) write online: text speak, UK slang ("top myself", "batter", "melt"), TikTok
 * euphemisms ("unalive", "sewerslide"). Not copied from any list.
 *
 * Phrases are matched as whole words after normalisation (see normalize.ts), so "kill myself"
 * also matches "KILL MYSELF", "k1ll mys3lf", "k i l l m y s e l f" and "killmyself"; the
 * variants written out below are words people actually use, not spellings.
 *
 * Severity, from the project's safeguarding model:
 * - critical: a plan, means or timing for suicide; disclosure of sexual abuse; sextortion.
 * - high: suicidal intent, self-harm, ongoing physical abuse or neglect, grooming, encouraging
 *   someone to kill themselves, threats with weapons.
 * - medium: warning signs that need a person to look (low mood with self-loathing, threats,
 *   harsh bullying, personal details, moving a chat off the platform).
 * - low / info: offensive language and mild signals, kept for patterns over time.
 *
 * Decisions a reviewer should know (the corpora in ./corpus test each one):
 * - Hyperbole about other people ("my sister's so annoying I could kill her lol") is NOT
 *   flagged: there is no rule for "kill her/him"; threats are flagged when aimed at "you".
 * - "kill myself" is flagged even with "lol": safeguarding practice treats it as real until a
 *   person has checked. Only fixed idioms are exceptions ("killed myself laughing").
 * - "I'm dead 😂", "this exam is killing me", "dying of laughter" match no rule at all.
 * - Meeting up and moving to another app are flagged medium even between peers: on a support
 *   service the tenant's policy, not the engine, decides what happens next.
 */

const myself = '(myself|my self|meself|mself|myslf|mysef)';
const yourself = '(yourself|urself|ur self|your self|yaself|yoself|youself|yourselves|urselves)';
const you = '(you|u|ya|yu)';
const your = '(your|ur|yr)';
const dont = "(don't|dont|do not|dnt)";
const im = "(i'm|im|i am)";
const ill =
  "(i'll|ill|i will|imma|ima|i'm gonna|im gonna|i'm going to|im going to|i am going to|i swear i'll)";
const family =
  "(he|she|they|dad|mum|mom|mam|stepdad|step dad|stepmum|my dad|my mum|my mom|my mam|my stepdad|my step dad|my stepmum|my step mum|my parents|my brother|my sister|my uncle|my aunt|my nan|my grandad|my carer|my foster carer|my foster dad|my foster mum|my boyfriend|my girlfriend|her boyfriend|mums boyfriend|my mums boyfriend|my mum's boyfriend)";
const pills =
  '(pills|tablets|paracetamol|painkillers|meds|medication|sleeping pills|antidepressants)';
const platforms =
  '(snap|snapchat|sc|insta|instagram|ig|tiktok|discord|kik|whatsapp|telegram|twitter|facebook|fb|wickr|signal|telegram|xbox|psn|roblox|fortnite|twitch|steam)';

export const defaultEnglishRiskRules: readonly RiskRuleInput[] = [
  // ── Suicide and self-harm ─────────────────────────────────────────────────────────────────
  {
    id: 'en.suicide.plan',
    category: 'suicide_self_harm',
    severity: 'critical',
    language: 'en',
    description:
      'A plan, the means or a time for suicide, or saying goodbye. Needs a person now: the member sees helplines at once and the case escalates on the critical clock.',
    phrases: [
      `(kill|killing|end) ${myself} (tonight|today|tomorrow|this weekend|later|after school|when everyone is asleep|soon)`,
      '(end|ending) it (all|) (tonight|today|tomorrow|now|soon|this weekend)',
      '(wrote|written|writing|write|left|leaving|leave) (a|my) (suicide|goodbye) (note|letter)',
      'my (suicide|goodbye) (note|letter)',
      `(i've|ive|i have) (got|bought|saved up|been saving|stockpiled|been stockpiling) (the|enough|all the) (pills|tablets|paracetamol)`,
      `${im} (stockpiling|saving up|saving|hoarding) ${pills}`,
      "(i've|ive|i have|i|just) (got|bought) (a|the) rope",
      '(taken|took|swallowed) (all my|all the|loads of|too many|a whole packet of|a packet of|#) (pills|tablets|paracetamol|painkillers|meds)',
      '(took|taken|had|done) an overdose',
      'i (overdosed|oded)',
      '(this is|this is my|consider this my|this will be my) (goodbye|last message|final message)',
      'goodbye (forever|everyone|world|cruel world)',
      "(won't|wont|will not|wouldn't|wouldnt) be (here|alive|around) (tomorrow|much longer|for long|by tomorrow|next week|by morning)",
      "(by the time|when) you read this (i'll|ill|i will) (be gone|be dead|have gone)",
      "(i'll|ill|i will) be (gone|dead) by (tomorrow|the morning|morning|tonight|then)",
      `${im} (on|at) the (bridge|train tracks|railway tracks|railway line|cliff edge|edge of the cliff|top of the car park|edge of the roof)`,
      '(standing|stood|sitting|sat) on the (ledge|edge of the roof|edge of the bridge|railway|tracks|train tracks|railway line)',
      "(tonight is|tonights|tonight's) the night",
      "(planned|planning|plan|decided) (how|when) (to|i'm going to|im going to|i will|i'll) (do it|end it|kill myself|die)",
      '(said|saying|say) my goodbyes',
    ],
  },
  {
    id: 'en.suicide.want-to-die',
    category: 'suicide_self_harm',
    severity: 'high',
    language: 'en',
    description: 'Wanting to die or not to be alive, in the words young people use.',
    phrases: [
      '(want|wanted|wanting|need|needed) (to|2) die',
      '(wanna|wana|wan) die',
      'wish i (was|were|could be) dead',
      '(wish|wishing) i (was|had) never (been born|born)',
      "(wish|wishing) i'd never been born",
      "wish i (wasn't|wasnt|was not|weren't|werent) (alive|here|here anymore|born|around)",
      `${dont} (want|wanna) (to|) (live|be alive|exist|be here anymore|be here any more|wake up|be around anymore|be on this earth)`,
      "(hope|hoping|pray) i (don't|dont|never) wake up",
      '(go to|going to|want to|wanna) sleep (and never wake up|forever|and not wake up)',
      'ready to die',
      '(want|wanna|wana|need) to (stop existing|not exist|stop living|not be alive|not be here anymore)',
      '(i|i just|i honestly|i really|maybe i) deserve to (die|be dead)',
      '(want|wanna|wana|going to|gonna|need to|about to|ready to) end it (all|)',
      "(i'd|id|i would|everyone would|everybody would) be better off dead",
      'better off dead',
      'want (it all|everything|my life|life|it) to (end|stop|be over)',
      `(want|wanna|going|gonna|about|trying) to (unalive|game end|self delete|delete) ${myself}`,
      `(want|wanna|going to|gonna) (unalive|unalive me)`,
    ],
    exceptions: [
      '(want|wanna|wanted|going) to die (of|from) (embarrassment|laughing|laughter|cringe|boredom|shame)',
      `${dont} (want|wanna) to live (in|with|near|at|there|on|abroad|together|next door|in london)`,
      `${dont} (want|wanna) to wake up (at|early|for|so early|before)`,
      'want (it|the lesson|the day|the week|this week|school|exams) to (end|be over) (so|already|now)',
      'want it to stop raining',
      'end it with (him|her|them|my|this|that|the)',
    ],
  },
  {
    id: 'en.suicide.kill-myself',
    category: 'suicide_self_harm',
    severity: 'high',
    language: 'en',
    description:
      'Suicidal intent: killing oneself and its slang ("kms", "top myself", "unalive myself"). Flagged even with "lol" — see the file comment.',
    phrases: [
      `(kill|killing|killed|kil|kiling) ${myself}`,
      'kms',
      `(unalive|unaliving|unalived|game end|self delete) ${myself}`,
      '(end|ending|take|taking) my (own|) life',
      'end it all',
      'ending it all',
      '(commit|commiting|committing|comit|comitting) (suicide|sewerslide|sewer slide)',
      `(top|topping|off|offing|neck|necking|hang|hanging|hung|drown|drowning|shoot|shooting|poison|poisoning|gas|suffocate|suffocating) ${myself}`,
      '(jump|jumping|throw myself) (off|from) (a|the) (bridge|building|roof|cliff|car park|multi storey)',
      '(jump|jumping|throw myself|step|stepping) in front of (a|the) (train|bus|lorry|car|truck)',
      '(slit|slitting|cut|cutting|slash|slashing) my (wrist|wrists|throat)',
      `(overdose|overdosing|od|oding) on ${pills}`,
      '(take|taking|swallow|swallowing) all (my|the|of my|of the) (pills|tablets|paracetamol|meds|medication|painkillers)',
    ],
    exceptions: [
      `(kill|killing|killed) ${myself} (laughing|laughin|with laughter)`,
      `(top|topping) ${myself} up`,
      `(drown|drowning) ${myself} in (work|homework|revision|coffee|tea|chocolate|netflix|music|perfume)`,
      '# kms',
      'kms (away|long|per|an hour|from here|of)',
    ],
  },
  {
    id: 'en.suicide.hopeless',
    category: 'suicide_self_harm',
    severity: 'high',
    language: 'en',
    description: 'Hopelessness and feeling a burden, which often come before suicidal thoughts.',
    phrases: [
      '(no|nothing|no reason|nobody|no one|noone) to live for',
      'no reason to (live|be alive|keep going|go on|carry on|stay alive|be here)',
      "(no|there's no|theres no|what's the|whats the|what is the) point (in|of|) (living|being alive|life|going on|carrying on|existing|being here)",
      "(life|my life) (isn't|isnt|is not|aint|ain't) worth (living|it anymore)",
      "(can't|cant|cannot|can not) (go on|carry on|keep going|do this) (anymore|any more|like this|much longer)",
      'better off without me',
      '(better|happier|easier) without me (here|around|alive)',
      '(world|everyone|everybody) would be (better|happier) without me',
      "(nobody|no one|noone|no1) (would|will|'d|d) (miss|notice|care) (me|if i died|if i was gone|if i wasn't here|if i disappeared|if i killed myself)",
      "(i'm|im|i am|i feel like|i feel) (a|such a|just a) burden",
      'burden (to|on) (everyone|my family|my parents|my mum|my dad|you all|everybody)',
      '(tired|sick) of (living|being alive|existing)',
      '(hate|hating) being alive',
      `${dont} see (the|any) point (anymore|any more|in anything|in living|in going on|in life)`,
      "(happier|better off|better|easier) if i (wasn't|wasnt|was not|weren't|werent) (around|here|alive|born)",
      '(happier|better off|better|easier) if i (was|were) (gone|dead)',
      '(give|giving|given|gave) up on (life|living|myself)',
      '(gave|giving|given|give) away (all|) my (stuff|things|belongings|possessions)',
      '(want|wanna) to (disappear|vanish) (forever|for good|permanently)',
      `${im} (done|finished) with (life|living|it all|being alive)`,
    ],
  },
  {
    id: 'en.suicide.suicidal-thoughts',
    category: 'suicide_self_harm',
    severity: 'high',
    language: 'en',
    description: 'Saying one is suicidal or thinking about suicide.',
    phrases: [
      '(suicidal|suicidle|sucidal|suicidall|suacidal)',
      '(thinking|thought|thinkin|think|thoughts) (about|of) (suicide|killing myself|ending it|ending my life|ending it all|dying|not being here|being dead|sewerslide|unaliving myself)',
      '(suicide|suicidal|dark|intrusive) thoughts',
    ],
    exceptions: [
      '(dying|dyeing|dye) (my|your|her|his|our) (hair|clothes|jeans|shoes|trainers)',
      'thinking about dying (my|your|her) hair',
    ],
  },
  {
    id: 'en.suicide.mention',
    category: 'suicide_self_harm',
    severity: 'medium',
    language: 'en',
    description:
      'The word suicide or its euphemisms, without more context. Often a young person testing whether it is safe to talk.',
    phrases: [
      '(suicide|sucide|suiside|sewerslide|sewer slide|self delete|unalive|unalived|unaliving)',
    ],
    exceptions: [
      'suicide (squad|doors|door|mission|missions|run|runs|burpees|sprints|sprint|drills|shuttle|shuttles)',
      'suicide (prevention|awareness)',
      '(world|national) suicide prevention day',
      'unalive (him|her|them|the|that|this|a) (character|villain|boss|npc|zombie|zombies)',
    ],
  },
  {
    id: 'en.self-harm.cutting',
    category: 'suicide_self_harm',
    severity: 'high',
    language: 'en',
    description: 'Self-harm: cutting, burning, starving, scars and relapse.',
    phrases: [
      `(cut|cutting|cuts|slice|slicing|scratch|scratching|carve|carving|harm|harming|bruise|bruising|punish|punishing|starve|starving|starved|bleed|bleeding) ${myself}`,
      `make ${myself} (bleed|sick|throw up|puke|vomit)`,
      `${im} (self harming|self-harming|selfharming)`,
      "(i|i've|ive|i have|i've been|ive been|been|started|keep|still|i still|i used to) (self harm|self harming|selfharming|self-harm|self-harming|sh)",
      '(i|i have|i just|just) (relapsed|relapse) (on|with|into|) (sh|self harm|selfharm|cutting)',
      '(cutting|slashing|carving|scratching|burning) my (arm|arms|wrist|wrists|leg|legs|thigh|thighs|skin|stomach|hips)',
      '(cut|carved|slashed) my (arm|arms|thigh|thighs|skin|hips|stomach)',
      '(razor|blade|blades|sharpener|compass) (on|to cut) (myself|my arm|my arms|my wrist|my wrists|my legs|my thighs)',
      '(fresh|new|my) (cuts|cut marks)',
      '(covered in|full of) (cuts|cut marks|scars from cutting)',
      '(used|use|using|took) (a|the|my) (blade|razor|sharpener|compass) on (myself|my self|my arm|my arms|my leg|my legs|my wrist|my wrists|my thigh|my thighs|my skin|my stomach)',
      '(hide|hiding|cover|covering|cover up|covering up) my (cuts|scars|self harm)',
      '(throw up|being sick|make myself sick) after (eating|every meal|i eat|meals|dinner)',
    ],
    exceptions: [
      `(cut|cutting) ${myself} (shaving|cooking|by accident|accidentally|on paper|on some paper|on a piece of paper|on glass|on the fence|a slice|a piece|some cake|some bread|a bit of)`,
      `accidentally (cut|cutting|cuts) ${myself}`,
      '(cut|carved|slashed) my (arm|arms|thigh|skin) (on|on a|on the|playing|when i fell|falling|by accident)',
      `(starving|starved) ${myself} (all day|till dinner|before dinner|for dinner|until)`,
      `(starve|starving|starved) ${myself} of (sleep|fun)`,
    ],
  },
  {
    id: 'en.self-harm.hurting-myself',
    category: 'suicide_self_harm',
    severity: 'medium',
    language: 'en',
    description:
      'Hurting oneself, which is self-harm as often as an accident; the exceptions catch sport and cooking.',
    phrases: [`(hurt|hurting|hit|hitting|punch|punching|burn|burning|burnt) ${myself}`],
    exceptions: [
      `(hurt|hurting|hit|hitting|burn|burning|burnt) ${myself} (playing|at|during|doing|skating|skateboarding|falling|by accident|accidentally)`,
      `(hurt|hurting|hit|hitting|burn|burning|burnt) ${myself} (cooking|in pe|on the oven|on the iron|on the kettle|with the door|on the door)`,
      `accidentally (hurt|hit|burnt|burned|punched) ${myself}`,
    ],
  },
  {
    id: 'en.self-harm.self-loathing',
    category: 'suicide_self_harm',
    severity: 'medium',
    language: 'en',
    description: 'Self-loathing and feeling unwanted, which deserve a check-in.',
    phrases: [
      '(i|i really|i honestly|i just|i literally) hate myself (so much|more than anything|every day|everyday|)',
      '(nobody|no one|noone|no1) (cares about|loves|likes|wants|understands) me',
      '(everyone|everybody) (hates|would be happier without) me',
      "(i'm|im|i am|i feel like|i feel|feel) (a failure|such a failure|a waste of space|a waste of oxygen|a mistake|worthless|so worthless|pathetic|disgusting|useless)",
      "(can't|cant|cannot) (cope|take it|take this|handle it|handle this|deal with it) (anymore|any more|no more)",
      '(want|wanna) to (disappear|vanish)',
      '(cry|crying|cried) myself to sleep',
      '(life|my life|everything|living) (is|feels) (pointless|meaningless|hopeless)',
    ],
    exceptions: [
      'hate myself for (eating|forgetting|buying|saying that|missing|being late|not revising|sleeping in|watching|doing that|laughing)',
    ],
  },
  {
    id: 'en.self-harm.low-mood',
    category: 'suicide_self_harm',
    severity: 'low',
    language: 'en',
    description:
      'Low mood. Everyday for teenagers ("I hate my life, double maths"), so only low: useful for patterns, not an alert.',
    phrases: [
      'hate my life',
      "(i'm|im|i am|i feel|feeling|feel) (so|really|very|super|) (depressed|hopeless|empty|numb|lonely|miserable)",
      '(having|had|have) a (panic attack|breakdown|mental breakdown)',
      '(self harm|self-harm|selfharm)',
    ],
  },

  // ── Abuse and neglect ─────────────────────────────────────────────────────────────────────
  {
    id: 'en.abuse.sexual-abuse',
    category: 'abuse_neglect',
    severity: 'critical',
    language: 'en',
    description: "Disclosure of sexual abuse. Follow the tenant's disclosure procedure at once.",
    phrases: [
      "(touches|touched|keeps touching|tried to touch|tries to touch|touching) me (down there|under my clothes|at night|inappropriately|in places|where i don't|where i dont|in my private|in private places|sexually)",
      '(makes|made|forced|forces|tries to make|tried to make) me (touch him|touch her|touch his|touch them|do sexual things|watch porn|undress|take my clothes off|take off my clothes|have sex|suck)',
      '(raped|molested|sexually abused|sexually assaulted|groped) me',
      "(i was|i got|i've been|ive been|i have been|i was being|been) (raped|molested|sexually abused|sexually assaulted|groped)",
      '(comes|came|creeps|keeps coming) into my (room|bed|bedroom) at night',
      "(does|did|keeps doing|kept doing) (things|stuff) to me (i don't like|i dont like|that i don't like|that i dont like|at night|when no one is|when nobody is|when mum is out|when my mum is out)",
      '(gets|got|climbs|climbed) into (my|bed with me) (bed|at night)',
    ],
  },
  {
    id: 'en.abuse.physical-abuse',
    category: 'abuse_neglect',
    severity: 'high',
    language: 'en',
    description: 'Being hit or hurt by a family member, carer or partner.',
    phrases: [
      `${family} (hits|hit|beats|beat|punches|punched) me`,
      `${family} (slaps|slapped|kicks|kicked|chokes|choked) me`,
      `${family} (strangles|strangled|burns|burnt|burned|whips|whipped) me`,
      `${family} (shoves|shoved|throws things at|threw things at|drags|dragged|grabbed) me`,
      `${family} (hurts|keeps hurting|touches|touched|keeps touching) me`,
      '(hits|beats|punches|hurts|chokes|strangles|slaps|beat up) my (mum|mom|mam|sister|brother|little brother|little sister|baby brother|baby sister)',
      '(covered in|got|have|left) bruises (from|because of|cos of|cause of) (him|her|my dad|my mum|my stepdad|my step dad|them)',
      '(scared|afraid|terrified|frightened) (to go home|to go back home|of going home|to be at home|of being at home|of my dad|of my stepdad|of my step dad|of my mum|of my mom|of my parents|of my uncle)',
      "(don't feel|dont feel|do not feel|not|never|i'm not|im not|never feel) safe (at home|in my house|with my dad|with my mum|with him)",
    ],
    exceptions: [
      '(beat|beats) me (at|in|to it|to the|again at|again in|on)',
      '(touched|touches) me on the (arm|shoulder|back|hand|head)',
      '(hurts|hurt) me (to see|to say|to hear|to watch)',
      '(hit|hits) me (up|back|different|differently)',
      '(kicked|kicks|kick) me (out of the|off the|out the) (game|lobby|group chat|chat|team|call|server|match|party|gc)',
      '(slapped|slaps|slap) me (a high five|on the back)',
    ],
  },
  {
    id: 'en.abuse.neglect',
    category: 'abuse_neglect',
    severity: 'high',
    language: 'en',
    description: 'Not being fed, locked in or out, thrown out of home, nowhere to sleep.',
    exceptions: [
      '(thrown|kicked|chucked) out (of|from) (class|the class|the lesson|lesson|the game|the lobby|the group chat|the chat|the team|the club|the shop|the cinema|the library|assembly)',
    ],
    phrases: [
      '(not|never) allowed (to eat|food|to have food|dinner|to have dinner|breakfast|any food|to eat anything)',
      '(no|never any|never enough|hardly any|not enough) food (at home|in the house|in my house|in our house|at ours)',
      "(doesn't|doesnt|don't|dont|won't|wont|never) let me (eat|have food|have dinner|have tea|have breakfast|have lunch)",
      '(have|got|i have|with) (nowhere|no where|no place) to (go|sleep|stay|live)',
      "(i got|i was|i've been|ive been|got|been) (thrown|kicked|chucked) out",
      "(haven't|havent|have not|not) eaten (in|for) (days|# days|two days|three days|a week|ages)",
      "(they|mum|dad|nobody|no one|noone|my parents|my mum|my dad|my carers) (don't|dont|doesn't|doesnt|never|won't|wont) feed me",
      '(locked|lock|locks|locking) me in (my|the) (room|bedroom|cupboard|shed|cellar|basement|bathroom|garage|house|flat)',
      '(locked|stuck) in my (room|bedroom) (all day|for days|all weekend|without food|with no food)',
      '(locked|locking|lock|locks) me out (of the house|of the flat|of home|all night|overnight)',
      '(kicked|threw|thrown|throw|kick|kicks|throws) me out (of the house|of home|of the flat|again|last night|tonight|for the night)',
      '(kicked|thrown) out (of home|of the house|by my mum|by my dad|by my parents|by my stepdad)',
      '(nowhere|no where|no place) (to sleep|to stay|to live|safe to stay) (tonight|)',
      '(sleeping|slept|sleep) (rough|on the streets|on the street|on a bench|in a doorway)',
    ],
  },
  {
    id: 'en.abuse.home-concerns',
    category: 'abuse_neglect',
    severity: 'medium',
    language: 'en',
    description:
      'Signs of neglect or harm at home that need a gentle question: left alone, adults drunk or high, emotional abuse, threats.',
    phrases: [
      '(home alone|left alone|leave me alone|leaves me alone|left me alone) for (days|# days|the whole weekend|a week|the week)',
      '(left|leave|leaves) me (on my own|alone|by myself|home alone) (for days|all week|all weekend|for a week|overnight|all night)',
      '(no|there is no|theres no) (heating|electricity|hot water|gas) (at home|in the house|for days|for weeks)',
      '(mum|dad|mom|my mum|my dad|my mom|my parents|my stepdad) (is|are|gets|get) (always|) (drunk|high|wasted|off their face|off her face|off his face)',
      `(dad|mum|mom|stepdad|stepmum|my parents|my dad|my mum|my mom|my stepdad) (calls|called|keeps calling) me (worthless|useless|stupid|a mistake|a waste of space|a slag|a slut|fat)`,
      '(wishes|wished|says|said) i (was|had) never (been born|born)',
      '(threatens|threatened|keeps threatening|threatening) to (kick me out|hurt me|hit me|kill me|put me in care|send me away|throw me out)',
      '(screams|shouts|yells) at me (all the time|every day|constantly|for no reason|every night)',
      `${im} (a young carer|looking after my mum|looking after my dad) (every day|all the time|on my own|by myself)`,
    ],
  },
  {
    id: 'en.abuse.criminal-exploitation',
    category: 'abuse_neglect',
    severity: 'high',
    language: 'en',
    description:
      'Criminal exploitation: county lines, being made to carry or sell, debts to dealers.',
    phrases: [
      '(doing|running|do|run|in|part of|work for|working for|involved in) county lines',
      '(make|makes|made|making|forcing|forced) me (sell|deal|carry|hold|deliver|move) (drugs|weed|packages|parcels|it for them|for them)',
      '(owe|owes|i owe) (them|him|my dealer|a dealer|the olders|the older boys) (money|for the)',
      '(holding|hold|keep|keeping|hide|hiding) (drugs|a package|packages|a parcel|a knife|a gun) for (them|him|some older boys|the olders|older boys|some olders)',
      "(they'll|theyll|they will|he'll|he will) (hurt|stab|come for) my (family|mum|little brother|little sister)",
      '(run|running|ran|doing) (a|the) (line|county line|drop) for',
    ],
  },

  // ── Sexual exploitation and grooming ──────────────────────────────────────────────────────
  {
    id: 'en.grooming.sextortion',
    category: 'sexual_exploitation_grooming',
    severity: 'critical',
    language: 'en',
    description: 'Threats to share intimate images unless paid or obeyed (sextortion).',
    phrases: [
      `(i'll|ill|i will|or i'll|or ill) (send|share|post|leak|show) ${your} (pics|pictures|photos|nudes|videos)`,
      `(i'm going to|im going to|i'm gonna|im gonna|gonna) (send|share|post|leak|show) ${your} (pics|photos|nudes|videos)`,
      `(send|show|share|post) (them|it|your pics|your nudes|the pics|the nudes) to ${your} (family|parents|mum|dad|friends|school|followers|teachers|whole school|contacts)`,
      "pay me or (i'll|ill|i will|else|everyone|your)",
      '(show|send|share|post|leak) (everyone|your family|your parents|your friends|your mum|your dad|the whole school|your school) (the|your|those|ur|them|the ones|all the)',
      "(or|otherwise) (i'll|ill|i will) (show|send|share|post|leak) (them|it|everyone|your|ur)",
      "(i have|i've got|ive got|i got) (your|ur) (nudes|noodz|pics|naked pics)",
    ],
  },
  {
    id: 'en.grooming.sexual-images',
    category: 'sexual_exploitation_grooming',
    severity: 'high',
    language: 'en',
    description: 'Asking for or sending sexual images, or asking someone to undress.',
    phrases: [
      '(send|sned|snd|send me|give me|show me|can i see|can i have|i want|i need|get me) (nudes|nude|naked pics|naked pictures|naked photos|a nude|your nudes|ur nudes|noodz|nudez|dirty pics|sexy pics|spicy pics|pics of your body|pics of ur body|a pic of your body|your body)',
      '(nudes|noodz|nudez)',
      `(take|take off|lift|pull down|remove|undo) ${your} (top|shirt|clothes|bra|pants|knickers|underwear|trousers|skirt)`,
      `(show|send) me ${your} (body|boobs|tits|chest|bum|ass|arse|underwear|bra|pants|privates|dick|willy)`,
      `(in|wearing) ${your} (underwear|bra|knickers|boxers|bikini)`,
      '(pic|pics|photo|photos|picture|pictures|selfie|selfies|vid|video) (in|from) (the|your|ur) (bath|shower|bed|bedroom)',
      '(pay|paying) you for (pics|pictures|photos|a pic|nudes|a video|videos)',
      '(dick|cock|willy) (pic|pics)',
      'of (you|u|yourself|urself) in (the|your|ur) (shower|bath|bed|underwear|bra|pants|bikini)',
      `(sent|sends|showed|shows) me (his|her) (private parts|privates|willy|penis|dick)`,
    ],
  },
  {
    id: 'en.grooming.sexual-talk',
    category: 'sexual_exploitation_grooming',
    severity: 'high',
    language: 'en',
    description: 'Sexual questions and talk aimed at the young person.',
    phrases: [
      `(are|r) ${you} (a virgin|still a virgin|horny|wet|turned on)`,
      `(have|have you|you|u|did you|did u) ever (had sex|done it|hooked up|been touched|touched yourself)`,
      `(do|d) ${you} (touch|play with) ${yourself}`,
      '(talk|chat|be) (dirty|sexy|naughty) (to|with) me',
      '(sex chat|sexting|sext|sexts)',
      `(see|seeing|want to see|wanna see) ${you} naked`,
      `(what|wat) (size|colour|color) (is|are) ${your} (bra|underwear|pants|knickers|boobs)`,
      '(bra|cup) size',
      '(makes|make|made) me (hard|horny|wet)',
    ],
  },
  {
    id: 'en.grooming.secrecy',
    category: 'sexual_exploitation_grooming',
    severity: 'high',
    language: 'en',
    description: 'Asking a young person to keep the contact secret from the adults around them.',
    phrases: [
      "(don't|dont|never) (tell|show) (your|ur) (parents|mum|mom|mam|dad|family|carer|carers|foster carer|social worker|teacher|teachers|mentor|friends|nan|sister|brother)",
      'do not (tell|show) (your|ur) (parents|mum|mom|dad|family|carer|teacher|teachers|mentor|friends)',
      'our little secret',
      '(no one|nobody|noone) (needs|has|have) to know (about us|about this|about me|we talk|we are talking|what we)',
      "(they|your parents|your mum|your dad|your family|your friends|people) (wouldn't|wouldnt|won't|wont|would not|will not|don't|dont) understand (us|our relationship|what we have|you like i do|you like me)",
      "(i'd|id|i would|i could|we could|we'd|we would) get in (so much|) trouble (if|for) (anyone|someone|people|your parents|they) (found out|knew|find out|know)",
    ],
  },
  {
    id: 'en.grooming.flattery',
    category: 'sexual_exploitation_grooming',
    severity: 'high',
    language: 'en',
    description: 'Classic grooming lines about age and maturity, and isolating the young person.',
    phrases: [
      `(you're|ur|you are|your|u r|u are) (so|very|really|) mature for ${your} age`,
      'age is (just|only) a number',
      `(you're|ur|you are|u r) (not like|different from|more mature than) (other|most) (girls|boys|kids|people) ${your} age`,
      `(nobody|no one|noone) (understands|gets|loves|cares about) ${you} like (i do|me)`,
      `(i'm|im|i am) the only one who (understands|gets|cares about|loves|really knows) ${you}`,
    ],
  },
  {
    id: 'en.grooming.contact-signs',
    category: 'sexual_exploitation_grooming',
    severity: 'medium',
    language: 'en',
    description:
      'Signs that an adult may be grooming: checking the young person is alone, gifts and money, secrecy, deleting messages.',
    phrases: [
      'you can trust me',
      `(i'll|ill|i will|i can|let me) (look after|take care of|protect) ${you}`,
      "(you're|ur|you are) (my|such a) special (girl|boy|friend|one)",
      '(our|we have a) special (friendship|relationship|bond|connection)',
      `${you} (look|seem|sound) (older|so much older|way older|mature) (than|for) (#|your age|you are|ur age)`,
      `(i'll|ill|i will|i can|i could) (buy|get) ${you} (anything|whatever you want|a phone|a new phone|an iphone|a new iphone|airpods|a ps5|clothes|trainers|vapes|a vape|alcohol|drinks|weed|gifts|presents|money)`,
      '(if|when) (you|u) do (something|stuff|this|that|things) for me',
      "(show|send) me what (you're|youre|you are|ur|u r) wearing",
      `${dont} tell (anyone|anybody|no one|nobody) about (us|our chats|this chat|our messages|me|what we talk about)`,
      '(have|have you|you|u|did you|did u) ever (been kissed|kissed anyone|kissed someone|kissed a boy|kissed a girl)',
      `(i'll|ill|i will|i can|let me) (send|give) ${you} (money|some money|cash|a gift card|gift cards|robux|vbucks|v bucks|skins)`,
      `top up ${your} (phone|credit|account)`,
      `(are|r) ${you} (alone|on your own|on ur own|by yourself|home alone)`,
      `(is|are) (anyone|anybody|your parents|ur parents|your mum|your dad) (home|in|around|there|with you|asleep|awake|out|in bed)`,
      `when (are|do|r) ${your} (parents|mum|dad|mom) (out|away|going out|at work)`,
      `(where|wheres|where's|where are) ${your} (parents|mum|dad|mom)`,
      "(let's|lets|we should|can we) (talk|chat|go|move) (somewhere|some where) (more|) (private|else|quieter)",
      `(delete|deleting|clear) (this|these|our|the|all our|all the|your|ur) (chat|chats|messages|convo|conversation|conversations|texts|pics|photos|dms)`,
      "(our|it's our|its our|this is our) secret",
      '(keep|keeping) (this|it|us) (a secret|secret|between us|between you and me)',
      '(what are you|what r u|what are u|wat are you|wat r u|whatcha|what you) wearing',
      `(turn|switch|put) (on|your|ur) (camera|cam|webcam)`,
      '(go|get|come) on (cam|camera|webcam)',
      `(video call|videocall|facetime) me (tonight|now|later|alone|when you're alone|when ur alone)`,
    ],
    exceptions: [
      '(delete|deleting|clear) the (chat|messages) (history|notifications) (on|in) (the|my) (phone|app|settings)',
      'what (are you|r u|are u) wearing (to|for)',
      '(alone|on your own) (in|at) (the|school|class|lunch|form|pe|break)',
    ],
  },
  {
    id: 'en.grooming.send-a-picture',
    category: 'sexual_exploitation_grooming',
    severity: 'medium',
    language: 'en',
    description:
      'Asking for pictures or videos. Medium: a person looks, because the same words open many grooming conversations; pictures of homework or pets are excepted.',
    phrases: [
      'send (me|) (a|some|more|another) (pic|pics|picture|pictures|photo|photos|selfie|selfies|vid|video)',
      `send me a (pic|picture|photo|selfie|video|vid) of ${yourself}`,
      `send me a (pic|picture|photo|selfie|video|vid) of (you|u)`,
    ],
    exceptions: [
      '(pic|pics|picture|pictures|photo|photos|video|vid) of (the|that|those|this|these|it|them|our|his|her|my|mine)',
      '(pic|pics|picture|pictures|photo|photos|video|vid) of (your|ur) (homework|work|notes|answers|timetable|worksheet|page|dog|cat|puppy|cake|food|outfit|dress|shoes|trainers)',
      '(pic|pics|picture|pictures|photo|photos|video|vid) of (your|ur) (hair|nails|room|garden|art|drawing|car|bike|tickets|ticket|poster|view|question|questions|sheet|book|new)',
    ],
  },
  {
    id: 'en.grooming.age-question',
    category: 'sexual_exploitation_grooming',
    severity: 'low',
    language: 'en',
    description:
      'Asking a young person their age. Harmless between peers, so only low; with other signs it helps a moderator see a pattern.',
    phrases: [
      `how old (are|r) ${you}`,
      `(what|wat) age (are|r) ${you}`,
      `(what's|whats|what is) ${your} age`,
      `(are|r) ${you} (under|over) (#|eighteen|sixteen|thirteen|18|16|13)`,
    ],
  },

  // ── Bullying and threats ──────────────────────────────────────────────────────────────────
  {
    id: 'en.bullying.encourage-suicide',
    category: 'bullying_threats',
    severity: 'high',
    language: 'en',
    description:
      'Telling someone to kill or hurt themselves (an offence under the Online Safety Act 2023).',
    phrases: [
      `(kill|kil|hang|neck|off|top|unalive|end|shoot|drown|game end) ${yourself}`,
      'kys',
      `(go|just go|should|just|go and) (cut|hurt|starve) ${yourself}`,
      `(you|u) should (die|just die|go die|not exist|not be alive|be dead)`,
      '(go|just go|go and|pls|please|plz|just) die',
      `(hope|hoping|i hope) (you|u) (die|get cancer|get hit by a)`,
      '(drink|drinking|go drink) bleach',
      '(nobody|no one|noone) would (miss|care about|notice) (you|u|if you died|if u died|if you were gone)',
      '(world|everyone|everybody) would be better (off|) without (you|u)',
      '(do|do us|do everyone|do the world) (all|) a favour and (die|kill yourself|disappear|end it)',
      `(slit|cut) ${your} (wrists|wrist|throat)`,
    ],
    exceptions: [
      `(don't|dont|do not) (kill|drown) ${yourself} (trying|working|revising|over it|doing|studying|with homework|for it)`,
      `(kill|killing|killed) ${yourself} (laughing|with laughter)`,
      'die (my|your|her|his) hair',
      '(go|just) die (it|ur hair|your hair)',
    ],
  },
  {
    id: 'en.bullying.weapon-threats',
    category: 'bullying_threats',
    severity: 'high',
    language: 'en',
    description: "Threats with knives or guns, carrying weapons, threats to someone's home.",
    phrases: [
      `${ill} (stab|shank|shoot|cut|burn|merk|wet) ${you}`,
      `${ill} (stab|shank|shoot|merk) (him|her|them|someone|somebody|that guy|that girl)`,
      '(bring|bringing|brought|carry|carrying|carries) (a|my) (knife|blade|shank|machete|gun|zombie knife|nine)',
      "(i've|ive|i have|i got|i've got|ive got) (a|my) (knife|blade|shank|machete|gun) (on me|in my bag|with me|at school)",
      `(i|we) (know|found out|found) where ${you} live`,
      `(burn|set fire to|torch) ${your} (house|home|car|flat)`,
    ],
  },
  {
    id: 'en.bullying.threats',
    category: 'bullying_threats',
    severity: 'medium',
    language: 'en',
    description:
      'Threats of violence aimed at "you". Banter and threats look alike, so a person decides.',
    phrases: [
      `${ill} (kill|murder|batter|smash|punch) ${you}`,
      `${ill} (hurt|deck|slap|jump|knock out|rush|end|drop) ${you}`,
      `${ill} (beat|bang) ${you} up`,
      `(we're|were|we are|we will|we'll|well) (gonna|going to|) (jump|batter|rush|beat up|smash|kill|stab|merk|bang) ${you}`,
      `(i'll|ill|i will|imma|i'm gonna|im gonna|gonna|) (smash|kick|punch|bash|cave|knock) ${your} (head|face|teeth) in`,
      `(watch|mind) ${your} back`,
      "(you're|ur|you are|your|u r) dead (meat|after school|tomorrow|when i see you|when i find you|monday)",
      "(you're|ur|you are|your|u r) (gonna|going to) (get it|regret this|pay for this|get battered|get jumped)",
      `(wait|just wait) (till|until|til) (i|we) (see|get|find|catch) ${you}`,
      `(we'll|well|we will|i'll|ill|i will) (find|get|catch) ${you} (after school|outside|tomorrow|on the way home)`,
    ],
    exceptions: [
      `(kill|murder|smash|batter|destroy|end) ${you} (at|in|on) (fifa|fortnite|cod|minecraft|chess|the game|a game|mario kart|the race|warzone|roblox|smash|tekken)`,
      `kill ${you} with kindness`,
    ],
  },
  {
    id: 'en.bullying.harassment',
    category: 'bullying_threats',
    severity: 'medium',
    language: 'en',
    description: 'Harsh bullying: exclusion, humiliation, threats to expose, racist abuse.',
    phrases: [
      `(everyone|everybody|literally everyone|the whole school|the whole class|the whole year) (hates|laughs at|is laughing at|talks about|despises) ${you}`,
      `we all (hate|laugh at) ${you}`,
      '(everyone|everybody) (in|at) (year #|yr #|school|this school|our school|the school|class|this class|our class|the class|my class|the group|this group|our group|the team|our year|the year|the chat|this chat) (hates|laughs at) (you|u)',
      '(everyone|everybody) here (hates|laughs at|talks about) (you|u)',
      `(nobody|no one|noone|no1) (likes|loves|wants|cares about|will ever love|will ever like) ${you}`,
      `${you} (have|got|have got|ve got) no (friends|mates)`,
      `(nobody|no one|noone) wants ${you} (here|around|alive)`,
      `${you} (don't|dont|do not) belong here`,
      "(you're|ur|you are|your|u r|u are) (so|such a|a|) (worthless|pathetic|a waste of space|disgusting|a freak|a nobody|a mistake|ugly|fat|a failure|an embarrassment|nothing)",
      `(go back to|go home to) ${your} (own|) country`,
      `(expose|exposing|leak|leaking) ${you}`,
      "(i'll|ill|i will|im gonna|i'm gonna|gonna) (tell|show) (everyone|the whole school|the whole class|the whole year)",
      '(ugly|fat|stupid|dumb|disgusting) (bitch|slag|slut|cow|pig|whore|freak)',
    ],
  },
  {
    id: 'en.bullying.mild-insults',
    category: 'bullying_threats',
    severity: 'low',
    language: 'en',
    description: 'Everyday insults, often banter; low so patterns show up over time.',
    phrases: [
      "(you're|ur|you are|your|u r) (such an|such a|an|a|so|a total|a complete) (idiot|loser|weirdo|dork|muppet|div|melt|wasteman|clown|dumbass|moron|creep)",
      '(shut up|shut it|shut ur mouth|shut your mouth) (loser|idiot|freak|weirdo)',
    ],
  },

  // ── Personal details ──────────────────────────────────────────────────────────────────────
  {
    id: 'und.personal.phone-number',
    category: 'personal_details',
    severity: 'medium',
    language: 'und',
    description:
      "A phone number, however it is spaced or spelled out. Whether it is blocked (for example for under-18s) is the tenant's policy.",
    detector: 'phone_number',
  },
  {
    id: 'und.personal.email',
    category: 'personal_details',
    severity: 'medium',
    language: 'und',
    description: 'An email address, including "name at gmail dot com".',
    detector: 'email',
  },
  {
    id: 'und.personal.social-handle',
    category: 'personal_details',
    severity: 'medium',
    language: 'und',
    description: 'A social media or gaming account, which moves contact off the platform.',
    detector: 'social_handle',
  },
  {
    id: 'und.personal.link',
    category: 'personal_details',
    severity: 'low',
    language: 'und',
    description: 'A link. Low: most are harmless, but a moderator may want to see them.',
    detector: 'url',
  },
  {
    id: 'en.personal.street-address',
    category: 'personal_details',
    severity: 'medium',
    language: 'en',
    description: 'A home address, house number and street, or postcode.',
    detector: 'street_address',
  },
  {
    id: 'en.personal.school-name',
    category: 'personal_details',
    severity: 'medium',
    language: 'en',
    description: 'Naming the school one goes to, which locates a young person.',
    detector: 'school_name',
  },
  {
    id: 'en.personal.meeting-up',
    category: 'personal_details',
    severity: 'medium',
    language: 'en',
    description: 'Arranging to meet, or asking where someone lives or goes to school.',
    detector: 'meeting_up',
  },
  {
    id: 'en.personal.move-off-platform',
    category: 'personal_details',
    severity: 'medium',
    language: 'en',
    description:
      'Asking to continue on another app, or for a number or account: contact moves where nobody can see it.',
    phrases: [
      `(add|follow|message|msg|dm|text|hmu) me on ${platforms}`,
      `(what's|whats|what is|wats) ${your} (snap|snapchat|sc|insta|instagram|ig|tiktok|discord|kik|whatsapp|telegram|number|phone number)`,
      `(what's|whats|what is|wats) ${your} (mobile|mobile number|digits|handle|username|xbox name|psn|gamertag|roblox|roblox name|fortnite name|discord tag)`,
      `(give|send|text|dm) me ${your} (number|phone number|mobile|mobile number|digits|snap|insta|whatsapp)`,
      '(talk|chat|speak|continue this) (on|over on|on to) (snap|snapchat|insta|whatsapp|kik|telegram|discord|signal|wickr|private)',
      '(download|install) (kik|telegram|wickr|signal|session|threema|omegle|wizz|monkey|yubo)',
      '(my|our) (number|phone number|mobile number|mobile|digits) is',
      "(here's|heres|here is) my (number|phone number|mobile|digits)",
    ],
  },

  // ── Offensive language ────────────────────────────────────────────────────────────────────
  {
    id: 'en.offensive.strong-swearing',
    category: 'offensive_language',
    severity: 'low',
    language: 'en',
    description: 'Strong swearing and sexual insults.',
    phrases: [
      '(fuck|fucks|fucking|fuckin|fucked|fucker|fuckers|fuk|fuking|fck|fcking|fcuk|motherfucker|motherfucking|stfu|gtfo)',
      '(cunt|cunts|twat|twats|wanker|wankers|bellend|bellends|dickhead|dickheads|knobhead|knobheads|bastard|bastards|prick|pricks|nonce)',
      '(slut|sluts|slag|slags|whore|whores|hoe|hoes|thot|thots|skank|bitch|bitches)',
      '(porn|pornhub|porno)',
    ],
    exceptions: ['pin prick', 'prick (my|your|his|her) finger', 'garden hoe'],
  },
  {
    id: 'en.offensive.mild-swearing',
    category: 'offensive_language',
    severity: 'info',
    language: 'en',
    description: 'Mild swearing. Info only: useful for a tenant that wants a clean community.',
    phrases: [
      '(shit|shite|shitty|bullshit|crap|crappy|piss|pissed|arse|arsehole|ass|asshole|dick|bollocks|bugger|wtf|ffs|fml)',
      '(piss|sod|bugger) off',
    ],
  },
  {
    id: 'en.offensive.slurs',
    category: 'offensive_language',
    severity: 'low',
    language: 'en',
    description:
      'Slurs about race, disability, sexuality and gender identity. Low by default; a tenant may regrade them.',
    phrases: [
      '(retard|retarded|retards|spastic|spaz|spacker|mong|mongoloid)',
      '(faggot|faggots|fag|fags|dyke|dykes|tranny|trannies|shemale)',
      '(paki|pakis|nigger|niggers|nigga|niggas|chink|chinks|gook|wog|wogs|coon|coons|kike|kikes|raghead|towelhead)',
      '(gyppo|gyppos|pikey|pikeys)',
      "(that's|thats|that is|you're|ur|you are|your) so gay",
    ],
    exceptions: ['(a|smoke|smoking|having a|need a|want a|go for a|pack of|packet of) (fag|fags)'],
  },
];
