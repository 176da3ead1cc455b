import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiInternalServerErrorResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { ScoreTimelinePage } from '@hatch/protocol';
import { JoinToken, JoinTokenAuth } from '../auth/join-token.decorator';
import { SessionParamsDto } from '../sessions/session.dto';
import {
  ScoreTimelinePageDto,
  ScoreTimelineQueryDto,
  SessionGradeDto,
  type SessionGradeView,
  SessionModelDto,
  type SessionModelView,
} from './scores.dto';
import { ScoresService } from './scores.service';


/** Scores over time, the current model and the current grade; any participant's join token. */
@ApiTags('sessions')
@JoinTokenAuth()
@ApiBadRequestResponse({ description: 'Malformed id (or after/limit)' })
@ApiForbiddenResponse({ description: 'Join token of another session' })
@ApiNotFoundResponse({ description: 'No such session' })
@Controller('sessions')
export class ScoresController {
  constructor(private readonly scores: ScoresService) {}

  @Get(':id/scores')
  @ApiOkResponse({ type: ScoreTimelinePageDto, description: 'The score samples (scores over time), oldest first' })
  timeline(@Param() params: SessionParamsDto, @Query() query: ScoreTimelineQueryDto, @JoinToken() token: string | undefined): Promise<ScoreTimelinePage> {
    return this.scores.timeline(params.id, token, query);
  }

  @Get(':id/model')
  @ApiOkResponse({ type: SessionModelDto, description: 'The current model JSON of the session document' })
  @ApiServiceUnavailableResponse({ description: 'GRADER_UNAVAILABLE: the worker timed out, crashed or is restarting' })
  model(@Param() params: SessionParamsDto, @JoinToken() token: string | undefined): Promise<SessionModelView> {
    return this.scores.model(params.id, token);
  }

  @Get(':id/grade')
  @ApiOkResponse({ type: SessionGradeDto, description: 'The full grade of the current model: stage scores, checks with evidence and hints, weak moves, mapping' })
  @ApiServiceUnavailableResponse({ description: 'GRADER_UNAVAILABLE: the worker timed out, crashed or is restarting' })
  @ApiInternalServerErrorResponse({ description: 'GRADE_FAILED: the grader failed on this document' })
  grade(@Param() params: SessionParamsDto, @JoinToken() token: string | undefined): Promise<SessionGradeView> {
    return this.scores.grade(params.id, token);
  }
}
