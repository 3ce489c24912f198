import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectAll } from 'tinyld';
import { detectLanguage, isPlainEnglish } from './language.js';

// Hand-written paragraphs of news prose, about sixty words each.
const ENGLISH = [
  'The army said on Sunday that twelve militants were killed in a raid on a hideout near the border town, after the group had attacked a checkpoint the week before. Officials told reporters that two soldiers were wounded and that the operation was still under way, while residents of the town said they had heard heavy gunfire for most of the night.',
  'Protesters gathered outside the parliament for a third day on Tuesday, demanding the release of the journalists who were arrested last month. The police used tear gas to disperse the crowd, which had blocked the main road for several hours, and the interior ministry said it would investigate the claims that officers had beaten some of the demonstrators.',
  'A spokesman for the rebels denied that the group was behind the bombing of the market, which killed at least nine people and injured dozens more. The government has blamed the rebels for a series of attacks in the province this year, and it said that the army would carry out an operation to find those responsible for the blast.',
];

const OTHER: [string, string][] = [
  ['fr', "L'armée a déclaré dimanche que douze militants avaient été tués lors d'un raid contre une cachette près de la ville frontalière, après que le groupe avait attaqué un poste de contrôle la semaine précédente. Les responsables ont dit aux journalistes que deux soldats avaient été blessés et que l'opération était toujours en cours, tandis que les habitants affirmaient avoir entendu des tirs toute la nuit."],
  ['de', 'Die Armee teilte am Sonntag mit, dass zwölf Kämpfer bei einer Razzia in einem Versteck nahe der Grenzstadt getötet wurden, nachdem die Gruppe in der Woche zuvor einen Kontrollpunkt angegriffen hatte. Beamte sagten Reportern, dass zwei Soldaten verletzt worden seien und der Einsatz noch andauere, während Bewohner der Stadt berichteten, sie hätten die ganze Nacht Schüsse gehört.'],
  ['es', 'El ejército dijo el domingo que doce militantes murieron en una redada contra un escondite cerca de la ciudad fronteriza, después de que el grupo atacara un puesto de control la semana anterior. Los funcionarios dijeron a los periodistas que dos soldados resultaron heridos y que la operación seguía en curso, mientras los vecinos contaron que oyeron disparos durante casi toda la noche.'],
  ['nl', 'Het leger zei zondag dat twaalf strijders waren gedood bij een inval in een schuilplaats bij de grensstad, nadat de groep de week ervoor een controlepost had aangevallen. Functionarissen vertelden verslaggevers dat twee soldaten gewond waren en dat de operatie nog aan de gang was, terwijl inwoners van de stad zeiden dat zij het grootste deel van de nacht zware schoten hadden gehoord.'],
  ['it', "L'esercito ha detto domenica che dodici militanti sono stati uccisi in un raid contro un nascondiglio vicino alla città di confine, dopo che il gruppo aveva attaccato un posto di blocco la settimana precedente. I funzionari hanno riferito ai giornalisti che due soldati sono rimasti feriti e che l'operazione era ancora in corso, mentre gli abitanti hanno detto di aver sentito spari per tutta la notte."],
  ['pt', 'O exército disse no domingo que doze militantes foram mortos numa operação contra um esconderijo perto da cidade fronteiriça, depois de o grupo ter atacado um posto de controlo na semana anterior. Os responsáveis disseram aos jornalistas que dois soldados ficaram feridos e que a operação ainda decorria, enquanto os moradores da cidade afirmaram ter ouvido tiros durante quase toda a noite.'],
];

test('isPlainEnglish takes the shortcut on English prose, and tinyld agrees there', () => {
  for (const text of ENGLISH) {
    assert.equal(isPlainEnglish(text), true, text.slice(0, 40));
    assert.equal(detectAll(text)[0]?.lang, 'en', text.slice(0, 40));
    assert.equal(detectLanguage(text), 'en');
  }
});

test('isPlainEnglish never fires on other Latin-script languages, which still go to tinyld', () => {
  for (const [lang, text] of OTHER) {
    assert.equal(isPlainEnglish(text), false, lang);
    assert.notEqual(detectLanguage(text), 'en', lang);
  }
});

test('isPlainEnglish leaves short texts to tinyld (too few words to count)', () => {
  const short = 'The army said that the rebels were behind the attack on the town.';
  assert.equal(isPlainEnglish(short), false);
  assert.equal(isPlainEnglish(''), false);
});
